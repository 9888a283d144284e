import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { AppError } from "@/lib/errors";
import { changeLeadStatus } from "@/lib/leads/change-lead-status";
import { createLead } from "@/lib/leads/create-lead";
import { ZLeadFields } from "@/lib/leads/schemas";
import {
  asUser,
  asUserRolledBack,
  createTenancyFixture,
  createTestWorkspace,
  randomSuffix,
  removeTenancyFixture,
  removeTestWorkspace,
  sqlState,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { deliverDueWebhooks } from "./deliver";
import { listWebhookAttempts, listWebhookDeliveries, redeliverWebhook } from "./deliveries";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  MAX_WEBHOOK_ENDPOINTS,
  revealWebhookSecret,
  setWebhookEndpointEnabled,
  type EndpointInput,
  type WebhookActor,
} from "./endpoints";
import { DISABLE_AFTER_FAILED_EVENTS, DISABLE_AFTER_FAILING_DAYS } from "./retry-schedule";
import { upsertLeads } from "@/lib/imports/upsert-leads";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { createTestImport } from "@/tests/fixtures/imports";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { deliverWebhooks, deliverWebhooksCronFunction, deliverWebhooksFunction } from "@/inngest/functions/webhooks/deliver-webhooks";
import { startTestExecutor, waitFor } from "@/lib/jobs/testing/harness";
import { buildRegistry } from "@/lib/jobs/executor/registry";
import { startWebhookOutboxListener } from "./outbox-listener";
import * as leadPage from "@/app/(app)/leads/[leadId]/actions";
import { executeAction } from "@/lib/actions/execute-action";
import { getLeadRecord } from "@/lib/leads/get-lead";
import { callApi } from "@/tests/fixtures/api-client";
import { createTestApiKey } from "@/tests/fixtures/api-keys";
import { sessionOf } from "@/tests/fixtures/sessions";

// Read by env() once: the job below runs with the suite's override (loopback only) and a short schedule.
process.env.WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS = "true";
process.env.WEBHOOK_RETRY_SCHEDULE = "20ms,20ms";

/** The suite's own receiver on 127.0.0.1: records every request, answers what the test says. */
type Received = { headers: http.IncomingHttpHeaders; body: string; url: string };
let received: Received[] = [];
let answer: (req: Received) => {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
  body?: string;
  /** The status and the body's first bytes at once, its end this long after. */
  stallBodyMs?: number;
} = () => ({
  status: 204,
});
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const r = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), url: req.url ?? "/" };
    received.push(r);
    const a = answer(r);
    const body = a.body ?? "receiver says hi";
    if (a.stallBodyMs) {
      res.writeHead(a.status, a.headers).write(body.slice(0, 3));
      return void setTimeout(() => res.end(body.slice(3)), a.stallBodyMs).unref();
    }
    if (!a.delayMs) return void res.writeHead(a.status, a.headers).end(body);
    // A slow receiver; one the sender gave up on has closed the socket by then.
    setTimeout(() => res.writeHead(a.status, a.headers).end(body), a.delayMs);
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

/** The test-only override: the receiver's loopback address, nothing else. */
const onlyReceiver = { allowAddress: (address: string) => address === "127.0.0.1" };
const FAST = { ...onlyReceiver, schedule: [5, 5] };

let fx: TenancyFixture;
const actor = (m: TenancyMember, workspaceId: string): WebhookActor => ({ workspaceId, userId: m.id, role: m.role });

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function subscribe(input: Partial<EndpointInput> = {}, ws = fx.a) {
  const admin = ws.members.admin;
  return asUser(admin, (tx) =>
    createWebhookEndpoint(tx, actor(admin, ws.id), { url: receiverUrl, eventTypes: ["lead.created"], ...input }, onlyReceiver),
  );
}

async function addLead(email: string, ws = fx.a) {
  const rep = ws.members.sales_rep;
  return asUser(rep, (tx) =>
    createLead(tx, {
      workspaceId: ws.id,
      actor: { userId: rep.id, role: rep.role },
      fields: ZLeadFields.parse({ email, firstName: "Ada" }),
    }),
  );
}

async function deliverUntilSettled(options = FAST, workspaceIds = [fx.a.id]) {
  for (let i = 0; i < 50; i++) {
    const result = await deliverDueWebhooks(serviceDb(), { ...options, workspaceIds });
    if (result.nextDueInMs === null) return;
    await new Promise((r) => setTimeout(r, Math.max(5, result.nextDueInMs ?? 5)));
  }
  throw new Error("deliveries did not settle");
}

beforeAll(async () => {
  fx = await createTenancyFixture();
});

afterAll(async () => {
  await removeTenancyFixture(fx);
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(async () => {
  received = [];
  answer = () => ({ status: 204 });
  // Each test starts with no endpoint in A or B.
  await serviceDb().execute(sql`delete from webhook_endpoints where workspace_id in (${fx.a.id}, ${fx.b.id})`);
  await serviceDb().execute(sql`delete from webhook_events where workspace_id in (${fx.a.id}, ${fx.b.id})`);
});

describe("webhook endpoints: who may subscribe what", () => {
  it("refuses addresses that are not https outside development, not web addresses, or not public", async () => {
    const admin = fx.a.members.admin;
    const create = (url: string, target: Parameters<typeof createWebhookEndpoint>[3] = {}) =>
      asUser(admin, (tx) => createWebhookEndpoint(tx, actor(admin, fx.a.id), { url, eventTypes: ["lead.created"] }, target));

    expect((await refusal(create("http://example.com/hooks", { requireHttps: true }))).message).toMatch(/must start with https:\/\//);
    expect((await refusal(create("ftp://example.com/hooks"))).message).toMatch(/must start with https/);
    expect((await refusal(create("not a url"))).message).toMatch(/full web address/);
    // 422 characters as typed, over 2,000 once its accents are percent-encoded: the field says so.
    const accented = await refusal(create(`https://93.184.215.14/${"é".repeat(400)}`, { allowAddress: () => true }));
    expect(accented.code).toBe("invalid_input");
    expect(accented.fieldErrors?.url?.[0]).toMatch(/too long once encoded for the web \(2,422 characters; 2,000 at most\)/);
    for (const url of [
      "https://127.0.0.1/hooks",
      "https://[::1]/hooks",
      "https://10.0.0.8/hooks",
      "https://169.254.169.254/latest/meta-data",
      "https://[::ffff:192.168.1.1]/",
    ]) {
      expect((await refusal(create(url))).message, url).toMatch(/not a public address/);
    }
    // A name that resolves to a private address is refused after DNS, without telling where it
    // points, and in the words a name that does not exist gets: an admin learns nothing of the
    // private network's names.
    const lookup = ((_host: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [{ address: "192.168.0.10", family: 4 }])) as never;
    const inside = (await refusal(create("https://hooks.internal.example/", { lookup }))).message;
    expect(inside).not.toContain("192.168");
    expect(inside).toMatch(/hooks\.internal\.example is not a public address on the internet/);
    const nowhere = ((_host: string, _o: unknown, cb: (e: Error, a: never[]) => void) =>
      cb(Object.assign(new Error("getaddrinfo ENOTFOUND hooks.internal.example"), { code: "ENOTFOUND" }), [])) as never;
    expect((await refusal(create("https://hooks.internal.example/", { lookup: nowhere }))).message).toBe(inside);
    // Every field's problem at once: the address is checked even when no event is chosen.
    const both = await refusal(
      asUser(admin, (tx) =>
        createWebhookEndpoint(tx, actor(admin, fx.a.id), { url: "http://example.com/hooks", eventTypes: [] }, { requireHttps: true }),
      ),
    );
    expect(both.fieldErrors).toEqual({
      url: [expect.stringMatching(/must start with https:\/\//)],
      eventTypes: ["Choose at least one event."],
    });
    expect(both.message).toMatch(/must start with https.*Choose at least one event/);
    // The override admits the receiver only: a private address stays refused.
    expect((await refusal(create("http://10.1.2.3/", onlyReceiver))).message).toMatch(/not a public address/);
    const rows = await serviceDb().execute(sql`select 1 from webhook_endpoints where workspace_id = ${fx.a.id}`);
    expect(rows).toHaveLength(0);
  });

  it("refuses unknown events and non-admins; the secret is whsec_, shown once, sealed at rest, revealable to admins", async () => {
    const admin = fx.a.members.admin;
    const bad = await refusal(
      asUser(admin, (tx) =>
        createWebhookEndpoint(tx, actor(admin, fx.a.id), { url: receiverUrl, eventTypes: ["lead.exploded" as never] }, onlyReceiver),
      ),
    );
    expect(bad.fieldErrors?.eventTypes?.[0]).toMatch(/Choose events from the list/);
    for (const role of ["manager", "sales_rep", "viewer"] as const) {
      const m = fx.a.members[role];
      const error = await refusal(
        asUser(m, (tx) => createWebhookEndpoint(tx, actor(m, fx.a.id), { url: receiverUrl, eventTypes: ["lead.created"] }, onlyReceiver)),
      );
      expect(error.code).toBe("forbidden");
    }

    const { endpoint, secret } = await subscribe();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const [stored] = await serviceDb().execute<{ row: string }>(
      sql`select to_jsonb(e)::text as row from webhook_endpoints e where id = ${endpoint.id}`,
    );
    expect(stored!.row).not.toContain(secret.slice(6));
    expect(await asUser(admin, (tx) => revealWebhookSecret(tx, actor(admin, fx.a.id), endpoint.id))).toBe(secret);
    // A manager of A cannot reveal it, nor read the row (RLS: admins only).
    const manager = fx.a.members.manager;
    expect((await refusal(asUser(manager, (tx) => revealWebhookSecret(tx, actor(manager, fx.a.id), endpoint.id)))).code).toBe("forbidden");
    const seen = await asUser(manager, (tx) => tx.execute(sql`select id from webhook_endpoints where id = ${endpoint.id}`));
    expect(seen).toHaveLength(0);
  });
});

describe("webhook endpoints: how many", () => {
  it(`allows ${MAX_WEBHOOK_ENDPOINTS} endpoints a workspace, says what to do at the limit, and counts each workspace alone`, async () => {
    const admin = fx.a.members.admin;
    const made = await Promise.all(Array.from({ length: MAX_WEBHOOK_ENDPOINTS }, () => subscribe()));
    const over = await refusal(subscribe());
    expect(over.code).toBe("conflict");
    expect(over.message).toMatch(new RegExp(`already has ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints.*Delete one`));
    expect(await asUser(admin, (tx) => listWebhookEndpoints(tx, actor(admin, fx.a.id)))).toHaveLength(MAX_WEBHOOK_ENDPOINTS);
    // Nor past the service: an admin's token writing the row itself (the Data API) is counted too.
    const direct = await asUser(admin, (tx) =>
      tx.execute(sql`insert into public.webhook_endpoints (workspace_id, url, event_types, secret_ciphertext, secret_key_id, created_by)
        values (${fx.a.id}, 'https://hooks.example.com/more', '{lead.created}', 'x', 'k1', ${admin.id})`),
    ).then(
      () => "inserted",
      (error: unknown) => sqlState(error),
    );
    expect(direct).toBe("23514");
    await subscribe({}, fx.b);
    await asUser(admin, (tx) => deleteWebhookEndpoint(tx, actor(admin, fx.a.id), made[0]!.endpoint.id));
    await subscribe();
  });
});

describe("webhook deliveries", () => {
  it("signs each delivery per Standard Webhooks: it verifies with the library, and fails when tampered", async () => {
    const { secret } = await subscribe();
    const email = `signed-${randomSuffix()}@example.com`;
    const { leadId } = await addLead(email);
    await deliverUntilSettled();

    expect(received).toHaveLength(1);
    const [r] = received;
    const headers = {
      "webhook-id": String(r!.headers["webhook-id"]),
      "webhook-timestamp": String(r!.headers["webhook-timestamp"]),
      "webhook-signature": String(r!.headers["webhook-signature"]),
    };
    const payload = new Webhook(secret).verify(r!.body, headers) as { type: string; data: { lead: { id: string; email: string } } };
    expect(payload.type).toBe("lead.created");
    expect(payload.data.lead).toMatchObject({ id: leadId, email });
    expect(r!.headers["content-type"]).toBe("application/json");

    expect(() => new Webhook(secret).verify(r!.body.replace(email, "someone-else@example.com"), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(r!.body, { ...headers, "webhook-id": "msg_other" })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 7).toString("base64")}`).verify(r!.body, headers)).toThrow(WebhookVerificationError);
  });

  it("records nothing for a change that rolled back, and only the events an endpoint subscribed to", async () => {
    await subscribe({ eventTypes: ["lead.status_changed", "lead.unsubscribed"] });
    const rolledBack = `rolled-back-${randomSuffix()}@example.com`;
    const rep = fx.a.members.sales_rep;
    await asUserRolledBack(rep, (tx) =>
      createLead(tx, {
        workspaceId: fx.a.id,
        actor: { userId: rep.id, role: rep.role },
        fields: ZLeadFields.parse({ email: rolledBack, firstName: "Gone" }),
      }),
    );
    const { leadId } = await addLead(`status-${randomSuffix()}@example.com`);
    await asUser(rep, (tx) =>
      changeLeadStatus(tx, { workspaceId: fx.a.id, actor: { userId: rep.id, role: rep.role }, leadId, status: "unsubscribed" }),
    );
    await deliverUntilSettled();

    const events = await serviceDb().execute<{ type: string; data: string }>(
      sql`select type, data::text from webhook_events where workspace_id = ${fx.a.id} order by created_at, type`,
    );
    expect(events.map((e) => e.type).sort()).toEqual(["lead.status_changed", "lead.unsubscribed"]);
    expect(events.some((e) => e.data.includes(rolledBack))).toBe(false);
    const types = received.map((r) => (JSON.parse(r.body) as { type: string }).type).sort();
    expect(types).toEqual(["lead.status_changed", "lead.unsubscribed"]);
    const changed = received
      .map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> })
      .find((p) => p.type === "lead.status_changed");
    expect(changed!.data.previous_status).toBe("new");
  });

  it("records imports completed, campaigns approved and emails sent, replied to and bounced", async () => {
    await subscribe({ eventTypes: ["import.completed", "campaign.approved", "email.sent", "email.replied", "email.bounced"] });
    const { leadId } = await addLead(`campaign-${randomSuffix()}@example.com`);
    const campaign = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, [leadId]);
    const message = await insertSentTestMessage({
      workspaceId: fx.a.id,
      campaignId: campaign.campaignId,
      enrollmentId: campaign.enrollmentIds[0]!,
      leadId,
      stepId: campaign.stepId,
      toEmail: "campaign@example.com",
    });
    await serviceDb().execute(sql`update email_messages set replied_at = now() where id = ${message.id}`);
    await serviceDb().execute(sql`update email_messages set bounced_at = now(), bounce_type = 'hard' where id = ${message.id}`);
    const importId = await createTestImport({ workspaceId: fx.a.id, createdBy: fx.a.members.sales_rep.id, headers: ["email"], rows: [] });
    await serviceDb().execute(
      sql`update lead_imports set status = 'completed', finished_at = now(), mapping = '{}', rules = '{}' where id = ${importId}`,
    );
    await deliverUntilSettled();

    const byType = new Map(received.map((r) => [(JSON.parse(r.body) as { type: string }).type, JSON.parse(r.body) as { data: any }]));
    expect([...byType.keys()].sort()).toEqual(["campaign.approved", "email.bounced", "email.replied", "email.sent", "import.completed"]);
    expect(byType.get("campaign.approved")!.data.campaign.id).toBe(campaign.campaignId);
    expect(byType.get("email.sent")!.data.email).toMatchObject({ id: message.id, lead_id: leadId, to: "campaign@example.com" });
    expect(byType.get("email.bounced")!.data.bounce_type).toBe("hard");
    expect(byType.get("import.completed")!.data.import.id).toBe(importId);
  });

  it("retries a failing receiver on the schedule with the same webhook-id, logs each attempt, then gives up", async () => {
    const { endpoint } = await subscribe();
    answer = () => ({ status: 503 });
    await addLead(`failing-${randomSuffix()}@example.com`);
    await deliverUntilSettled();

    expect(received).toHaveLength(3); // the first attempt and the schedule's two retries
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const admin = fx.a.members.admin;
    const [delivery] = await asUser(admin, (tx) => listWebhookDeliveries(tx, actor(admin, fx.a.id), { endpointId: endpoint.id }));
    expect(delivery).toMatchObject({ status: "failed", attempts: 3, lastStatusCode: 503, webhookId: received[0]!.headers["webhook-id"] });
    const attempts = await asUser(admin, (tx) => listWebhookAttempts(tx, actor(admin, fx.a.id), delivery!.id));
    expect(attempts.map((a) => [a.attempt, a.ok, a.statusCode])).toEqual([
      [1, false, 503],
      [2, false, 503],
      [3, false, 503],
    ]);
    expect(attempts[0]!.error).toMatch(/answered 503: receiver says hi/);
  });

  it(`disables an endpoint after ${DISABLE_AFTER_FAILED_EVENTS} events failed every attempt, tells the admins, and an admin enables it again`, async () => {
    const { endpoint } = await subscribe();
    answer = () => ({ status: 500 });
    for (let i = 0; i < DISABLE_AFTER_FAILED_EVENTS; i++) await addLead(`dead-${i}-${randomSuffix()}@example.com`);
    await deliverUntilSettled();
    expect(received).toHaveLength(DISABLE_AFTER_FAILED_EVENTS * 3);

    const admin = fx.a.members.admin;
    const [view] = await asUser(admin, (tx) => listWebhookEndpoints(tx, actor(admin, fx.a.id)));
    expect(view).toMatchObject({ id: endpoint.id, enabled: false, consecutiveFailedEvents: DISABLE_AFTER_FAILED_EVENTS });
    expect(view!.disabledReason).toMatch(/Disabled automatically/);
    const told = await serviceDb().execute<{ user_id: string }>(
      sql`select user_id from notifications where workspace_id = ${fx.a.id} and kind = 'webhook_endpoint_disabled' and subject_id = ${endpoint.id}`,
    );
    expect(told.map((n) => n.user_id)).toEqual([admin.id]);

    // Disabled: a new event is not even recorded for it.
    received = [];
    await addLead(`while-disabled-${randomSuffix()}@example.com`);
    await deliverUntilSettled();
    expect(received).toHaveLength(0);

    answer = () => ({ status: 200 });
    const enabled = await asUser(admin, (tx) => setWebhookEndpointEnabled(tx, actor(admin, fx.a.id), endpoint.id, true));
    expect(enabled).toMatchObject({ enabled: true, consecutiveFailedEvents: 0, disabledReason: null });
    await addLead(`after-enable-${randomSuffix()}@example.com`);
    await deliverUntilSettled();
    expect(received).toHaveLength(1);
  });

  it(`disables an endpoint failing for ${DISABLE_AFTER_FAILING_DAYS} days when an event then fails every attempt, not at its first`, async () => {
    const { endpoint } = await subscribe();
    // One event failed for good six days ago, and nothing was sent since.
    await serviceDb().execute(sql`
      update webhook_endpoints set failing_since = now() - interval '6 days', consecutive_failed_events = 1 where id = ${endpoint.id}`);
    answer = () => ({ status: 503 });
    await addLead(`quiet-${randomSuffix()}@example.com`);
    const first = await deliverDueWebhooks(serviceDb(), { ...onlyReceiver, schedule: [60_000], workspaceIds: [fx.a.id] });
    expect(first).toMatchObject({ attempted: 1, failed: 1, disabled: 0 });
    const admin = fx.a.members.admin;
    const enabledStill = await asUser(admin, (tx) => listWebhookEndpoints(tx, actor(admin, fx.a.id)));
    expect(enabledStill[0]).toMatchObject({ enabled: true, consecutiveFailedEvents: 1 });

    // Its retries fail too: now every delivery has failed for six days.
    await serviceDb().execute(sql`update webhook_deliveries set next_attempt_at = now() where endpoint_id = ${endpoint.id}`);
    await deliverUntilSettled();
    const [view] = await asUser(admin, (tx) => listWebhookEndpoints(tx, actor(admin, fx.a.id)));
    expect(view).toMatchObject({ enabled: false, consecutiveFailedEvents: 2 });
    expect(view!.disabledReason).toBe(`Disabled automatically: every delivery failed for ${DISABLE_AFTER_FAILING_DAYS} days.`);
  });

  it("takes a 2xx as delivered without waiting for a body that stalls, so the receiver does not get it twice", async () => {
    await subscribe();
    answer = () => ({ status: 200, stallBodyMs: 3_000 });
    await addLead(`stalled-body-${randomSuffix()}@example.com`);
    const result = await deliverDueWebhooks(serviceDb(), { ...FAST, workspaceIds: [fx.a.id], timeoutMs: 500 });
    expect(result).toMatchObject({ attempted: 1, succeeded: 1, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it("redelivers with the same webhook-id, logged as a manual attempt", async () => {
    const { endpoint } = await subscribe();
    await addLead(`redeliver-${randomSuffix()}@example.com`);
    await deliverUntilSettled();
    const admin = fx.a.members.admin;
    const [delivery] = await asUser(admin, (tx) => listWebhookDeliveries(tx, actor(admin, fx.a.id), { endpointId: endpoint.id }));
    expect(delivery!.status).toBe("succeeded");

    await asUser(admin, (tx) => redeliverWebhook(tx, actor(admin, fx.a.id), delivery!.id));
    await deliverUntilSettled();
    expect(received).toHaveLength(2);
    expect(received[1]!.headers["webhook-id"]).toBe(received[0]!.headers["webhook-id"]);
    expect(received[1]!.body).toBe(received[0]!.body);
    const attempts = await asUser(admin, (tx) => listWebhookAttempts(tx, actor(admin, fx.a.id), delivery!.id));
    expect(attempts.map((a) => [a.attempt, a.ok, a.manual])).toEqual([
      [1, true, false],
      [2, true, true],
    ]);
  });

  it("records a failure whose answer holds a NUL or control characters, as one line of text, and retries it on the schedule", async () => {
    const { endpoint } = await subscribe();
    // PostgreSQL stores no NUL in text: recording this answer once failed the whole round, so no
    // attempt was ever logged and every workspace's deliveries waited behind it.
    answer = () => ({ status: 500, body: "oops\u0000 bad\r\n\u001b[31mred" });
    await addLead(`nul-${randomSuffix()}@example.com`);
    await deliverUntilSettled();
    expect(received).toHaveLength(3);
    const admin = fx.a.members.admin;
    const [delivery] = await asUser(admin, (tx) => listWebhookDeliveries(tx, actor(admin, fx.a.id), { endpointId: endpoint.id }));
    expect(delivery).toMatchObject({ status: "failed", attempts: 3, lastStatusCode: 500 });
    expect(delivery!.lastError).toBe("The endpoint answered 500: oops bad [31mred");
  });

  it("refuses at delivery a name that now resolves to a private address, and a redirect to one", async () => {
    const { endpoint } = await subscribe();
    // DNS rebinding: the saved name now answers with the metadata address.
    await serviceDb().execute(sql`update webhook_endpoints set url = 'http://hooks.example.test/in' where id = ${endpoint.id}`);
    const lookup = ((_host: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [{ address: "169.254.169.254", family: 4 }])) as never;
    await addLead(`rebind-${randomSuffix()}@example.com`);
    await deliverUntilSettled({ ...FAST, schedule: [], lookup } as typeof FAST);
    const admin = fx.a.members.admin;
    const [rebound] = await asUser(admin, (tx) => listWebhookDeliveries(tx, actor(admin, fx.a.id), { endpointId: endpoint.id }));
    expect(rebound).toMatchObject({ status: "failed", lastStatusCode: null });
    expect(rebound!.lastError).toMatch(/hooks\.example\.test is not a public address on the internet/);
    expect(rebound!.lastError).not.toContain("169.254");

    await serviceDb().execute(sql`update webhook_endpoints set url = ${receiverUrl} where id = ${endpoint.id}`);
    answer = (r) => (r.url === "/hooks" ? { status: 307, headers: { location: "http://10.0.0.1/steal" } } : { status: 200 });
    received = [];
    await addLead(`redirect-${randomSuffix()}@example.com`);
    await deliverUntilSettled({ ...FAST, schedule: [] });
    expect(received).toHaveLength(1);
    const [redirected] = await asUser(admin, (tx) => listWebhookDeliveries(tx, actor(admin, fx.a.id), { endpointId: endpoint.id }));
    expect(redirected!.lastError).toMatch(/10\.0\.0\.1 is not a public address/);
  });

  it("refuses at delivery, where https is the rule, an address written as http:// past the form", async () => {
    const { endpoint } = await subscribe();
    // An admin's token may update the row directly (PostgREST): the form's https check is not the only gate.
    await serviceDb().execute(sql`update webhook_endpoints set url = ${receiverUrl} where id = ${endpoint.id}`);
    received = [];
    await addLead(`plain-http-${randomSuffix()}@example.com`);
    await deliverUntilSettled({ ...FAST, schedule: [], requireHttps: true } as typeof FAST);
    expect(received).toHaveLength(0);
    const admin = fx.a.members.admin;
    const [delivery] = await asUser(admin, (tx) => listWebhookDeliveries(tx, actor(admin, fx.a.id), { endpointId: endpoint.id }));
    expect(delivery).toMatchObject({ status: "failed", lastStatusCode: null });
    expect(delivery!.lastError).toBe("Not sent: the endpoint's address does not start with https://. Change it to an https:// address.");
  });

  it("sends each delivery once when runs overlap and a slow receiver outlasts the claim's lease", async () => {
    const { endpoint } = await subscribe();
    answer = () => ({ status: 200, delayMs: 400 });
    const s = randomSuffix();
    await serviceDb().execute(sql`
      insert into leads (workspace_id, first_name, email)
      select ${fx.a.id}, 'Slow', 'slow-' || i || ${`-${s}@example.com`} from generate_series(1, 6) i`);
    // Six claimed at once with a lease far shorter than the three pairs take to send: the second
    // run starts while the first run's second pair is in flight and its third waits its turn.
    const options = { ...FAST, workspaceIds: [fx.a.id], batchSize: 6, concurrency: 2, leaseMs: 100, timeoutMs: 5_000 };
    const first = deliverDueWebhooks(serviceDb(), options);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = deliverDueWebhooks(serviceDb(), options);
    const results = await Promise.all([first, second]);

    const ids = received.map((r) => String(r.headers["webhook-id"]));
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    // The second run did take the rows whose claim ran out before the first run reached them.
    expect(results[1].attempted).toBeGreaterThan(0);
    expect(results[0].attempted + results[1].attempted).toBe(6);
    const rows = await serviceDb().execute<{ status: string; attempts: number; logged: number }>(sql`
      select d.status, d.attempts, (select count(*)::int from webhook_delivery_attempts a where a.delivery_id = d.id) as logged
      from webhook_deliveries d where d.endpoint_id = ${endpoint.id}`);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.status === "succeeded" && r.attempts === 1 && r.logged === 1)).toBe(true);
  });

  it("does not let one endpoint's backlog of hanging deliveries keep another endpoint's delivery out of the first round", async () => {
    const hanging = await subscribe({ url: `${receiverUrl}/hang`, eventTypes: ["lead.created"] });
    await subscribe({ url: `${receiverUrl}/other`, eventTypes: ["lead.updated"] });
    answer = (r) => (r.url === "/hooks/hang" ? { status: 200, delayMs: 5_000 } : { status: 204 });
    const s = randomSuffix();
    await serviceDb().execute(sql`
      insert into leads (workspace_id, first_name, email)
      select ${fx.a.id}, 'Hang', 'hang-' || i || ${`-${s}@example.com`} from generate_series(1, 50) i`);
    await serviceDb().execute(
      sql`update webhook_deliveries set next_attempt_at = now() - interval '1 minute' where endpoint_id = ${hanging.endpoint.id}`,
    );
    await serviceDb().execute(
      sql`update leads set title = 'Buyer' where workspace_id = ${fx.a.id} and email = ${`hang-1-${s}@example.com`}`,
    );

    // Claims of 10, sent 2 at a time, each given 200 ms, for a second.
    await deliverDueWebhooks(serviceDb(), {
      ...FAST,
      workspaceIds: [fx.a.id],
      batchSize: 10,
      concurrency: 2,
      perWorkspace: 2,
      timeoutMs: 200,
      budgetMs: 1_000,
    });
    const order = received.map((r) => r.url);
    expect(order.filter((u) => u === "/hooks/other")).toHaveLength(1);
    // In the first pair: it does not wait behind the backlog's timeouts either.
    expect(order.indexOf("/hooks/other")).toBeLessThan(2);
  });

  it("keeps a worker for other workspaces while one workspace's slow receivers fill its share, and sends their events at once", async () => {
    await subscribe({ url: `${receiverUrl}/slow` }, fx.a);
    await subscribe({ url: `${receiverUrl}/fast` }, fx.b);
    const slowMs = 800;
    const arrivals: { url: string; at: number }[] = [];
    answer = (r) => {
      arrivals.push({ url: r.url, at: Date.now() });
      return r.url === "/hooks/slow" ? { status: 200, delayMs: slowMs } : { status: 204 };
    };
    const s = randomSuffix();
    for (const [ws, count] of [
      [fx.a, 6],
      [fx.b, 10],
    ] as const) {
      await serviceDb().execute(sql`
        insert into leads (workspace_id, first_name, email)
        select ${ws.id}, 'Ada', 'fair-' || i || ${`-${s}@example.com`} from generate_series(1, ${count}) i`);
    }
    // A's backlog is older: it would come first by age alone.
    await serviceDb().execute(
      sql`update webhook_deliveries set next_attempt_at = now() - interval '1 minute' where workspace_id = ${fx.a.id}`,
    );

    const result = await deliverDueWebhooks(serviceDb(), {
      ...FAST,
      workspaceIds: [fx.a.id, fx.b.id],
      concurrency: 4,
      perWorkspace: 2,
      timeoutMs: 5_000,
    });
    expect(result).toMatchObject({ attempted: 16, succeeded: 16, failed: 0 });
    const slow = arrivals.filter((a) => a.url === "/hooks/slow").map((a) => a.at);
    const fast = arrivals.filter((a) => a.url === "/hooks/fast").map((a) => a.at);
    // Never more than its share of A's requests open at once (each is answered slowMs after it arrives)…
    const openAt = (t: number) => slow.filter((at) => at <= t && t < at + slowMs - 50).length;
    expect(Math.max(...slow.map(openAt))).toBeLessThanOrEqual(2);
    // …and every one of B's arrived before A's third could start (once one of A's first two was answered).
    expect(Math.max(...fast)).toBeLessThan([...slow].sort((x, y) => x - y)[2]!);
  });

  it("gives back what it claimed and did not send when its time is up, due at once for the next run", async () => {
    const { endpoint } = await subscribe();
    answer = () => ({ status: 204, delayMs: 300 });
    const s = randomSuffix();
    await serviceDb().execute(sql`
      insert into leads (workspace_id, first_name, email)
      select ${fx.a.id}, 'Ada', 'budget-' || i || ${`-${s}@example.com`} from generate_series(1, 30) i`);
    const result = await deliverDueWebhooks(serviceDb(), {
      ...FAST,
      workspaceIds: [fx.a.id],
      concurrency: 2,
      batchSize: 30,
      budgetMs: 500,
    });
    expect(result.succeeded).toBeGreaterThan(0);
    expect(result.succeeded).toBeLessThan(30);
    expect(result.nextDueInMs).toBe(0);
    const [left] = await serviceDb().execute<{ pending: number; leased: number }>(sql`
      select count(*)::int as pending, count(*) filter (where lease_until is not null)::int as leased
      from webhook_deliveries where endpoint_id = ${endpoint.id} and status = 'pending'`);
    expect(left).toEqual({ pending: 30 - result.succeeded, leased: 0 });
  });

  it("sends a workspace's newly due event while two others keep every worker busy", async () => {
    await subscribe({ url: `${receiverUrl}/slow` }, fx.a);
    await subscribe({ url: `${receiverUrl}/slow` }, fx.b);
    const third = await createTestWorkspace(serviceDb(), {
      name: `Third ${randomSuffix()}`,
      people: { admin: "Ana Third", manager: "Bo Third", sales_rep: "Cy Third", analyst: "Di Third", viewer: "Ed Third" },
    });
    try {
      await subscribe({ url: `${receiverUrl}/third` }, third);
      const arrivals: string[] = [];
      answer = (r) => {
        arrivals.push(r.url);
        return r.url === "/hooks/slow" ? { status: 200, delayMs: 800 } : { status: 204 };
      };
      const s = randomSuffix();
      for (const ws of [fx.a, fx.b]) {
        await serviceDb().execute(sql`
          insert into leads (workspace_id, first_name, email)
          select ${ws.id}, 'Ada', 'busy-' || i || ${`-${s}@example.com`} from generate_series(1, 12) i`);
      }
      const run = deliverDueWebhooks(serviceDb(), {
        ...FAST,
        workspaceIds: [fx.a.id, fx.b.id, third.id],
        concurrency: 4,
        perWorkspace: 3,
        // Every row of both in the first claim: the queue alone would keep the workers busy for 5 s.
        perEndpoint: 12,
        timeoutMs: 5_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      await addLead(`third-${s}@example.com`, third);
      expect(await run).toMatchObject({ succeeded: 25, failed: 0 });
      // Found by a claim made while the others' rows were being sent (each second), not after them
      // all (the last of 25 before); a loaded machine may take a few of their turns first.
      expect(arrivals.indexOf("/hooks/third")).toBeGreaterThan(-1);
      expect(arrivals.indexOf("/hooks/third")).toBeLessThan(arrivals.length - 8);
    } finally {
      await removeTestWorkspace(third);
    }
  });

  it("does not send a delivery again at once when an admin redelivers it while it is in flight", async () => {
    const { endpoint } = await subscribe();
    answer = () => ({ status: 200, delayMs: 400 });
    await addLead(`in-flight-${randomSuffix()}@example.com`);
    const first = deliverDueWebhooks(serviceDb(), { ...FAST, workspaceIds: [fx.a.id] });
    await waitFor(async () => received.length > 0, { what: "the first request" });
    const [delivery] = await serviceDb().execute<{ id: string }>(sql`select id from webhook_deliveries where endpoint_id = ${endpoint.id}`);
    const admin = fx.a.members.admin;
    await asUser(admin, (tx) => redeliverWebhook(tx, actor(admin, fx.a.id), delivery!.id));
    const second = await deliverDueWebhooks(serviceDb(), { ...FAST, workspaceIds: [fx.a.id] });
    // Held by the first run: due for another one when that lease ends, so the job does not spin on it.
    expect(second.nextDueInMs).toBeGreaterThan(1_000);
    await first;
    expect(received).toHaveLength(1);
  });

  it("shows another workspace's admin nothing, and refuses them a redelivery", async () => {
    const { endpoint } = await subscribe();
    await addLead(`tenant-${randomSuffix()}@example.com`);
    await deliverUntilSettled();
    const [delivery] = await serviceDb().execute<{ id: string }>(sql`select id from webhook_deliveries where endpoint_id = ${endpoint.id}`);

    const other = fx.b.members.admin;
    const b = actor(other, fx.b.id);
    expect(await asUser(other, (tx) => listWebhookEndpoints(tx, b))).toEqual([]);
    expect(await asUser(other, (tx) => listWebhookDeliveries(tx, b, { endpointId: endpoint.id }))).toEqual([]);
    expect(await asUser(other, (tx) => listWebhookAttempts(tx, b, delivery!.id))).toEqual([]);
    expect((await refusal(asUser(other, (tx) => redeliverWebhook(tx, b, delivery!.id)))).code).toBe("not_found");
    expect((await refusal(asUser(other, (tx) => revealWebhookSecret(tx, b, endpoint.id)))).code).toBe("not_found");
    // RLS as the backstop, even claiming A's workspace id.
    for (const table of ["webhook_endpoints", "webhook_events", "webhook_deliveries", "webhook_delivery_attempts"]) {
      const rows = await asUser(other, (tx) => tx.execute(sql`select 1 from ${sql.identifier(table)} where workspace_id = ${fx.a.id}`));
      expect(rows, table).toHaveLength(0);
    }
    const forged = await asUser(other, (tx) =>
      tx.execute(sql`update webhook_deliveries set status = 'pending' where id = ${delivery!.id} returning id`),
    );
    expect(forged).toHaveLength(0);
  });
});

describe("lead events of statements that write many leads", () => {
  type EventRow = { type: string; lead_id: string; changed: string[] | null; previous_status: string | null };
  const eventsOfA = () =>
    serviceDb().execute<EventRow>(sql`
      select type, data -> 'lead' ->> 'id' as lead_id, data -> 'changed' as changed, data ->> 'previous_status' as previous_status
      from webhook_events where workspace_id = ${fx.a.id} order by type, data -> 'lead' ->> 'email'`);

  it("records one event per created and per changed lead of a bulk upsert, none for an unchanged one, one delivery per subscribed endpoint", async () => {
    const s = randomSuffix();
    // Free-mail addresses: no company is found or created by domain, so only the title changes.
    const known = await Promise.all([0, 1, 2].map((i) => addLead(`known-${i}-${s}@gmail.com`)));
    await serviceDb().execute(
      sql`update leads set title = 'CTO' where id in (${sql.join(
        known.map((k) => sql`${k.leadId}`),
        sql`, `,
      )})`,
    );
    const both = await subscribe({ url: `${receiverUrl}/both`, eventTypes: ["lead.created", "lead.updated"] });
    const created = await subscribe({ url: `${receiverUrl}/created`, eventTypes: ["lead.created"] });
    const admin = fx.a.members.admin;

    const result = await upsertLeads(
      { workspaceId: fx.a.id, userId: admin.id, role: admin.role },
      {
        onMatch: "overwrite",
        tags: [],
        leads: [
          ...[0, 1, 2, 3].map((i) => ({ email: `new-${i}-${s}@gmail.com`, firstName: "Ada" })),
          { email: `known-0-${s}@gmail.com`, title: "VP Sales" },
          { email: `known-1-${s}@gmail.com`, title: "VP Sales" },
          { email: `known-2-${s}@gmail.com`, title: "CTO" },
        ],
      },
    );
    expect(result.counts).toEqual({ created: 4, updated: 2, skipped: 1, failed: 0 });

    const newIds = result.results.filter((r) => r.outcome === "created").map((r) => r.leadId);
    const events = await eventsOfA();
    expect(events.filter((e) => e.type === "lead.created").map((e) => e.lead_id)).toEqual(newIds);
    expect(events.filter((e) => e.type === "lead.updated")).toEqual([
      { type: "lead.updated", lead_id: known[0]!.leadId, changed: ["title"], previous_status: null },
      { type: "lead.updated", lead_id: known[1]!.leadId, changed: ["title"], previous_status: null },
    ]);
    expect(events).toHaveLength(6);

    await deliverUntilSettled();
    const byEndpoint = (path: string) =>
      received.filter((r) => r.url === `/hooks/${path}`).map((r) => JSON.parse(r.body) as { type: string; data: { lead: { id: string } } });
    const summary = (path: string) =>
      byEndpoint(path)
        .map((p) => `${p.type} ${p.data.lead.id}`)
        .sort();
    expect(summary("both")).toEqual(
      [...newIds.map((id) => `lead.created ${id}`), `lead.updated ${known[0]!.leadId}`, `lead.updated ${known[1]!.leadId}`].sort(),
    );
    expect(summary("created")).toEqual(newIds.map((id) => `lead.created ${id}`).sort());
    expect(received).toHaveLength(10);
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(10);
    const deliveries = await serviceDb().execute<{ endpoint_id: string; n: number }>(sql`
      select endpoint_id, count(*)::int as n from webhook_deliveries where workspace_id = ${fx.a.id} group by endpoint_id`);
    expect(Object.fromEntries(deliveries.map((d) => [d.endpoint_id, d.n]))).toEqual({ [both.endpoint.id]: 6, [created.endpoint.id]: 4 });
  });

  it("runs the outbox trigger once per statement, not once per lead, with every event of the statement's leads", async () => {
    await subscribe({ eventTypes: ["lead.created", "lead.updated", "lead.status_changed", "lead.unsubscribed"] });
    const s = randomSuffix();
    const calls = await serviceDb().transaction(async (tx) => {
      // Counts this transaction's calls of the trigger's function (superuser setting, this transaction only).
      await tx.execute(sql`set local track_functions = 'pl'`);
      await tx.execute(sql`
        insert into leads (workspace_id, first_name, email)
        select ${fx.a.id}, 'Zoë', 'many-' || i || ${`-${s}@example.com`} from generate_series(1, 40) i`);
      await tx.execute(sql`update leads set title = 'Buyer' where workspace_id = ${fx.a.id} and email like ${`many-%-${s}@example.com`}`);
      await tx.execute(sql`
        update leads set status = case when email like ${`many-1-${s}%`} then 'unsubscribed' else 'contacted' end::lead_status
        where workspace_id = ${fx.a.id} and email in (${`many-1-${s}@example.com`}, ${`many-2-${s}@example.com`})`);
      await tx.execute(sql`update leads set title = 'Buyer' where workspace_id = ${fx.a.id} and email like ${`many-%-${s}@example.com`}`);
      const [row] = await tx.execute<{ calls: number }>(sql`
        select coalesce(sum(calls), 0)::int as calls from pg_stat_xact_user_functions
        where schemaname = 'private' and funcname = 'leads_webhook_events'`);
      return row!.calls;
    });
    expect(calls).toBe(4);

    const events = await eventsOfA();
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect([count("lead.created"), count("lead.updated"), count("lead.status_changed"), count("lead.unsubscribed")]).toEqual([
      40, 40, 2, 1,
    ]);
    expect(new Set(events.filter((e) => e.type === "lead.updated").map((e) => e.lead_id)).size).toBe(40);
    expect(events.filter((e) => e.type === "lead.updated").every((e) => JSON.stringify(e.changed) === '["title"]')).toBe(true);
    expect(events.filter((e) => e.type === "lead.status_changed").map((e) => e.previous_status)).toEqual(["new", "new"]);
    const [deliveries] = await serviceDb().execute<{ n: number; events: number }>(sql`
      select count(*)::int as n, count(distinct event_id)::int as events from webhook_deliveries where workspace_id = ${fx.a.id}`);
    expect(deliveries).toEqual({ n: 83, events: 83 });
  });
});

describe("lead events of one change", () => {
  type LeadEvent = { type: string; changed: string[] | null; previous_status: string | null };
  const eventsOf = (leadId: string) =>
    serviceDb().execute<LeadEvent>(sql`
      select type, data -> 'changed' as changed, data ->> 'previous_status' as previous_status
      from webhook_events where workspace_id = ${fx.a.id} and data -> 'lead' ->> 'id' = ${leadId} order by created_at, type`);
  const LEAD_CHANGES = { eventTypes: ["lead.updated", "lead.status_changed", "lead.unsubscribed"] } as const;

  it("sends one lead.updated naming every change and one lead.status_changed for a PATCH of fields, status and owner", async () => {
    const { leadId } = await addLead(`patched-${randomSuffix()}@example.com`);
    await subscribe({ eventTypes: [...LEAD_CHANGES.eventTypes] });
    const key = await createTestApiKey(fx.a, "read_write");
    const manager = fx.a.members.manager;
    const response = await callApi("PATCH", `/api/v1/leads/${leadId}`, {
      key: key.secret,
      body: { title: "CTO", city: "Lyon", status: "meeting", ownerId: manager.id },
    });
    expect(response.status).toBe(200);

    expect(await eventsOf(leadId)).toEqual([
      { type: "lead.status_changed", changed: null, previous_status: "new" },
      { type: "lead.updated", changed: ["city", "owner_id", "title"], previous_status: null },
    ]);
    await deliverUntilSettled();
    const payloads = received.map((r) => JSON.parse(r.body) as { type: string; data: { lead: Record<string, unknown> } });
    expect(payloads.map((p) => p.type).sort()).toEqual(["lead.status_changed", "lead.updated"]);
    // Each tells of the lead as the change left it, not half-way through.
    for (const p of payloads) expect(p.data.lead).toMatchObject({ title: "CTO", city: "Lyon", status: "meeting", owner_id: manager.id });
  });

  it("sends one event for each change made on the lead page: its edit form, status menu and owner menu", async () => {
    const rep = fx.a.members.sales_rep;
    const { leadId } = await addLead(`lead-page-${randomSuffix()}@example.com`);
    await subscribe({ eventTypes: [...LEAD_CHANGES.eventTypes] });
    const session = await sessionOf(rep, fx.a.id);
    const { version } = await asUser(rep, (tx) => getLeadRecord(tx, { workspaceId: fx.a.id, leadId }));

    const edited = await executeAction(leadPage.updateLead.definition, session, { leadId, version, title: "CTO", city: "Lyon" });
    expect(edited).toMatchObject({ ok: true, data: { changed: ["title", "city"] } });
    const moved = await executeAction(leadPage.changeLeadStatus.definition, session, { leadId, status: "contacted" });
    expect(moved).toEqual({ ok: true, data: { changed: true, status: "contacted" } });
    const given = await executeAction(leadPage.changeLeadOwner.definition, session, { leadId, ownerId: null });
    expect(given).toEqual({ ok: true, data: { changed: true, ownerId: null } });

    expect(await eventsOf(leadId)).toEqual([
      { type: "lead.updated", changed: ["city", "title"], previous_status: null },
      { type: "lead.status_changed", changed: null, previous_status: "new" },
      { type: "lead.updated", changed: ["owner_id"], previous_status: null },
    ]);
  });
});

describe("the delivery job", () => {
  it("runs one at a time from the cron as from the event, so runs do not pile up every minute", () => {
    const registry = buildRegistry([
      { fn: deliverWebhooksFunction, handler: deliverWebhooks },
      { fn: deliverWebhooksCronFunction, handler: deliverWebhooks },
    ]);
    expect(registry.functions.get("deliver-webhooks")?.concurrency).toMatchObject({ limit: 1 });
    expect(registry.functions.get("deliver-webhooks-cron")?.concurrency).toMatchObject({ limit: 1 });
  });

  it("is woken by the outbox's NOTIFY after the commit, and retries a failing receiver until it answers", async () => {
    const { endpoint } = await subscribe();
    let calls = 0;
    answer = () => (++calls < 3 ? { status: 500 } : { status: 200 });
    const executor = await startTestExecutor([{ fn: deliverWebhooksFunction, handler: deliverWebhooks }]);
    const listener = await startWebhookOutboxListener();
    try {
      // Nothing sends an event here: the trigger's NOTIFY reaches the listener, which asks the job.
      await addLead(`job-${randomSuffix()}@example.com`);
      await waitFor(async () => received.length >= 3, { timeoutMs: 15_000, what: "three attempts" });
      const admin = fx.a.members.admin;
      const delivery = await waitFor(
        async () => {
          const [d] = await asUser(admin, (tx) => listWebhookDeliveries(tx, actor(admin, fx.a.id), { endpointId: endpoint.id }));
          return d?.status === "succeeded" ? d : undefined;
        },
        { what: "the delivery to succeed" },
      );
      expect(delivery.attempts).toBe(3);
      expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    } finally {
      await listener.stop();
      await executor.stop();
    }
  });
});
