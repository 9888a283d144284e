import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, desc, eq, sql } from "drizzle-orm";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { auditLog, webhookEndpoints, webhookEvents } from "@/db/schema";
import { reflectInstantlyLeads, reflectInstantlyReplies } from "@/lib/integrations/instantly/reflect-on-leads";
import { storeInstantlyEmails } from "@/lib/integrations/instantly/raw-store";
import { AppError } from "@/lib/errors";
import { createLead } from "@/lib/leads/create-lead";
import { ZLeadFields } from "@/lib/leads/schemas";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { deliverDueWebhooks } from "./deliver";
import {
  createWebhookEndpoint,
  retirePreviousWebhookSecret,
  rotateWebhookSecret,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
  type SecretRotationGrace,
  type WebhookActor,
} from "./endpoints";

/** A local receiver recording every delivery (the suite's override admits 127.0.0.1 only). */
type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };
let received: Received[] = [];
/** When set, the next delivery is held unanswered until `release` (set by holdNextDelivery). */
let held: { arrived: () => void; release: Promise<void> } | null = null;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    const hold = held;
    held = null;
    if (hold) {
      hold.arrived();
      await hold.release;
    }
    res.writeHead(204).end();
  });
});

/** Holds the next delivery in the receiver: resolves `arrived` when it comes, answers it on `release()`. */
function holdNextDelivery(): { arrived: Promise<void>; release: () => void } {
  let arrived!: () => void;
  let release!: () => void;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  held = { arrived, release: new Promise<void>((resolve) => (release = resolve)) };
  return { arrived: arrival, release };
}
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
const onlyReceiver = { allowAddress: (address: string) => address === "127.0.0.1" };

let fx: TenancyFixture;
const actor = (m: TenancyMember, workspaceId: string): WebhookActor => ({ workspaceId, userId: m.id, role: m.role });
const admin = () => fx.a.members.admin;

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function subscribe(eventTypes: ("lead.created" | "email.replied" | "email.bounced")[] = ["lead.created"]) {
  return asUser(admin(), (tx) => createWebhookEndpoint(tx, actor(admin(), fx.a.id), { url: receiverUrl, eventTypes }, onlyReceiver));
}

/** A lead added in the app: a lead.created event. */
async function addLead(): Promise<void> {
  const rep = fx.a.members.sales_rep;
  await asUser(rep, (tx) =>
    createLead(tx, {
      workspaceId: fx.a.id,
      actor: { userId: rep.id, role: rep.role },
      fields: ZLeadFields.parse({ email: `hooked-${crypto.randomUUID()}@example.test`, firstName: "Ada" }),
    }),
  );
}

/** A lead added in the app (a lead.created event), then every due delivery sent; returns what the receiver got. */
async function leadEventDelivered(): Promise<Received> {
  received = [];
  await addLead();
  await deliverDueWebhooks(serviceDb(), { ...onlyReceiver, workspaceIds: [fx.a.id] });
  expect(received).toHaveLength(1);
  return received[0]!;
}

function verifies(secret: string, r: Received, body = r.body): boolean {
  const headers = {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  };
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

beforeAll(async () => {
  fx = await createTenancyFixture();
});

afterAll(async () => {
  await removeTenancyFixture(fx);
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(async () => {
  await serviceDb().execute(sql`delete from webhook_endpoints where workspace_id in (${fx.a.id}, ${fx.b.id})`);
  await serviceDb().execute(sql`delete from webhook_events where workspace_id in (${fx.a.id}, ${fx.b.id})`);
});

describe("rotating an endpoint's signing secret", () => {
  it("signs with both secrets for the grace, then with the new one only; a tampered body fails with either", async () => {
    const { endpoint, secret: oldSecret } = await subscribe();
    expect(verifies(oldSecret, await leadEventDelivered())).toBe(true);

    const { secret: newSecret, previousValidUntil } = await asUser(admin(), (tx) =>
      rotateWebhookSecret(tx, actor(admin(), fx.a.id), endpoint.id),
    );
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    // A day when the admin does not choose.
    expect(previousValidUntil!.getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(previousValidUntil!.getTime() - Date.now()).toBeLessThan(24.1 * 3_600_000);
    const during = await leadEventDelivered();
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verifies(newSecret, during)).toBe(true);
    expect(verifies(oldSecret, during)).toBe(true);
    expect(verifies(newSecret, during, during.body.replace("Ada", "Eve"))).toBe(false);
    expect(verifies(oldSecret, during, during.body.replace("Ada", "Eve"))).toBe(false);

    // Once the grace has passed, the old secret no longer signs.
    await serviceDb()
      .update(webhookEndpoints)
      .set({ previousSecretExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(webhookEndpoints.id, endpoint.id));
    const after = await leadEventDelivered();
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verifies(newSecret, after)).toBe(true);
    expect(verifies(oldSecret, after)).toBe(false);
  });

  it("keeps the old secret signing for the grace the admin chose: a week, or none at all", async () => {
    const { endpoint, secret: oldSecret } = await subscribe();
    const week = await asUser(admin(), (tx) => rotateWebhookSecret(tx, actor(admin(), fx.a.id), endpoint.id, 168));
    expect(week.previousValidUntil!.getTime() - Date.now()).toBeGreaterThan(167.9 * 3_600_000);
    expect(week.previousValidUntil!.getTime() - Date.now()).toBeLessThan(168.1 * 3_600_000);
    const during = await leadEventDelivered();
    expect(verifies(week.secret, during)).toBe(true);
    expect(verifies(oldSecret, during)).toBe(true);

    // No grace: the secret just replaced stops now, and so does the one before it.
    const none = await asUser(admin(), (tx) => rotateWebhookSecret(tx, actor(admin(), fx.a.id), endpoint.id, 0));
    expect(none.previousValidUntil).toBeNull();
    const after = await leadEventDelivered();
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verifies(none.secret, after)).toBe(true);
    expect(verifies(week.secret, after)).toBe(false);
    expect(verifies(oldSecret, after)).toBe(false);
    const [audit] = await serviceDb()
      .select({ metadata: auditLog.metadata })
      .from(auditLog)
      .where(
        and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.targetId, endpoint.id), eq(auditLog.action, "webhook_endpoint.secret_rotated")),
      )
      .orderBy(desc(auditLog.createdAt))
      .limit(1);
    expect(audit!.metadata).toMatchObject({ graceHours: 0, previousValidUntil: null });

    // Another length is refused, naming the choices; the secret stays as it was.
    const refused = await refusal(
      asUser(admin(), (tx) => rotateWebhookSecret(tx, actor(admin(), fx.a.id), endpoint.id, 12 as unknown as SecretRotationGrace)),
    );
    expect(refused).toMatchObject({ code: "invalid_input", message: expect.stringContaining("none, 1 hour, 24 hours or 7 days") });
    expect(verifies(none.secret, await leadEventDelivered())).toBe(true);
  });

  it("stops the old secret at once when asked (it may have leaked), both changes audited", async () => {
    const { endpoint, secret: oldSecret } = await subscribe();
    const { secret: newSecret } = await asUser(admin(), (tx) => rotateWebhookSecret(tx, actor(admin(), fx.a.id), endpoint.id));
    await asUser(admin(), (tx) => retirePreviousWebhookSecret(tx, actor(admin(), fx.a.id), endpoint.id));
    const delivered = await leadEventDelivered();
    expect(verifies(newSecret, delivered)).toBe(true);
    expect(verifies(oldSecret, delivered)).toBe(false);
    const audits = await serviceDb()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.targetId, endpoint.id)));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(["webhook_endpoint.secret_rotated", "webhook_endpoint.previous_secret_retired"]),
    );
  });

  it("is an admin's, in their own workspace only", async () => {
    const { endpoint } = await subscribe();
    const [before] = await serviceDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    const manager = fx.a.members.manager;
    expect(await refusal(asUser(manager, (tx) => rotateWebhookSecret(tx, actor(manager, fx.a.id), endpoint.id)))).toMatchObject({
      code: "forbidden",
    });
    const other = fx.b.members.admin;
    expect(await refusal(asUser(other, (tx) => rotateWebhookSecret(tx, actor(other, fx.b.id), endpoint.id)))).toMatchObject({
      code: "not_found",
    });
    // Even claiming A's workspace, RLS leaves A's endpoint alone.
    expect(await refusal(asUser(other, (tx) => retirePreviousWebhookSecret(tx, actor(other, fx.a.id), endpoint.id)))).toMatchObject({
      code: "not_found",
    });
    const [after] = await serviceDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(after).toEqual(before);
  });
});

describe("editing an endpoint", () => {
  it("changes its URL, description and events with the checks adding has; refused changes change nothing", async () => {
    const { endpoint } = await subscribe();
    const update = (
      input: Parameters<typeof updateWebhookEndpoint>[3],
      target: Parameters<typeof updateWebhookEndpoint>[4] = onlyReceiver,
    ) => asUser(admin(), (tx) => updateWebhookEndpoint(tx, actor(admin(), fx.a.id), endpoint.id, input, target));
    expect(
      (await refusal(update({ url: "http://example.com/hooks", eventTypes: ["lead.created"] }, { requireHttps: true }))).message,
    ).toMatch(/must start with https:\/\//);
    expect((await refusal(update({ url: "https://10.0.0.8/hooks", eventTypes: ["lead.created"] }))).fieldErrors).toMatchObject({
      url: [expect.stringMatching(/not a public address/)],
    });
    expect((await refusal(update({ url: receiverUrl, eventTypes: [] }))).fieldErrors).toMatchObject({ eventTypes: expect.any(Array) });
    const [unchanged] = await serviceDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(unchanged).toMatchObject({ url: receiverUrl, eventTypes: ["lead.created"], description: "" });

    const saved = await update({ url: `${receiverUrl}/v2`, description: "CRM sync", eventTypes: ["email.replied", "email.bounced"] });
    expect(saved).toMatchObject({ url: `${receiverUrl}/v2`, description: "CRM sync", eventTypes: ["email.replied", "email.bounced"] });
    const [audit] = await serviceDb()
      .select({ metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, endpoint.id), eq(auditLog.action, "webhook_endpoint.updated")));
    expect(audit?.metadata).toEqual({ url: `${receiverUrl}/v2`, eventTypes: ["email.replied", "email.bounced"] });
  });
});

describe("an endpoint changed while a round of its deliveries is under way", () => {
  /** Three lead.created deliveries due; the first one sent and held while `change` runs; then the round ends. */
  async function changedDuringRound(change: (endpointId: string) => Promise<void>) {
    const { endpoint } = await subscribe(["lead.created", "email.replied"]);
    for (let i = 0; i < 3; i++) await addLead();
    received = [];
    const first = holdNextDelivery();
    const round = deliverDueWebhooks(serviceDb(), { ...onlyReceiver, workspaceIds: [fx.a.id], concurrency: 1, perEndpoint: 10 });
    await first.arrived;
    await change(endpoint.id);
    first.release();
    await round;
    const deliveries = await serviceDb().execute<{ status: string; last_error: string | null }>(sql`
      select status, last_error from webhook_deliveries where endpoint_id = ${endpoint.id} order by completed_at nulls last, status`);
    return { endpoint, deliveries };
  }
  const edit = (endpointId: string, input: Parameters<typeof updateWebhookEndpoint>[3]) =>
    asUser(admin(), (tx) => updateWebhookEndpoint(tx, actor(admin(), fx.a.id), endpointId, input, onlyReceiver));

  it("sends the round's later deliveries to the new URL, signed with the new secret alone when it replaced the old at once", async () => {
    let newSecret = "";
    await changedDuringRound(async (endpointId) => {
      await edit(endpointId, { url: `${receiverUrl}/v2`, eventTypes: ["lead.created", "email.replied"] });
      newSecret = (await asUser(admin(), (tx) => rotateWebhookSecret(tx, actor(admin(), fx.a.id), endpointId, 0))).secret;
    });
    expect(received.map((r) => r.path)).toEqual(["/hooks", "/hooks/v2", "/hooks/v2"]);
    for (const later of received.slice(1)) {
      expect(String(later.headers["webhook-signature"]).split(" ")).toHaveLength(1);
      expect(verifies(newSecret, later)).toBe(true);
    }
  });

  it("sends nothing more once the endpoint is disabled: the rest wait, pending, for it to be enabled", async () => {
    const { endpoint, deliveries } = await changedDuringRound((endpointId) =>
      asUser(admin(), async (tx) => void (await setWebhookEndpointEnabled(tx, actor(admin(), fx.a.id), endpointId, false))),
    );
    expect(received).toHaveLength(1);
    expect(deliveries.map((d) => d.status)).toEqual(["succeeded", "pending", "pending"]);

    await asUser(admin(), (tx) => setWebhookEndpointEnabled(tx, actor(admin(), fx.a.id), endpoint.id, true));
    await serviceDb().execute(sql`update webhook_deliveries set lease_until = null where endpoint_id = ${endpoint.id}`);
    await deliverDueWebhooks(serviceDb(), { ...onlyReceiver, workspaceIds: [fx.a.id] });
    expect(received).toHaveLength(3);
  });

  it("leaves a delivery alone that another run leased while this one waited for its lock (no double send)", async () => {
    let takenOver = "";
    const { deliveries } = await changedDuringRound(async (endpointId) => {
      // Another run takes the round's next delivery (its claim ran out) and holds the row while
      // this run's send of the first one ends and it comes to lease the next.
      const inFlight = String(received[0]!.headers["webhook-id"]);
      const [next] = await serviceDb().execute<{ id: string }>(sql`
        select id from webhook_deliveries
        where endpoint_id = ${endpointId} and status = 'pending' and 'msg_' || replace(id::text, '-', '') <> ${inFlight}
        order by next_attempt_at, id limit 1`);
      takenOver = next!.id;
      let locked!: () => void;
      let commit!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const committed = new Promise<void>((resolve) => (commit = resolve));
      const other = serviceDb().transaction(async (tx) => {
        await tx.execute(sql`update webhook_deliveries set lease_until = now() + interval '5 minutes' where id = ${takenOver}`);
        locked();
        await committed;
      });
      await isLocked;
      setTimeout(commit, 1_000);
      void other;
    });
    expect(received.map((r) => r.headers["webhook-id"])).not.toContain(`msg_${takenOver.replaceAll("-", "")}`);
    expect(received).toHaveLength(2);
    expect(deliveries.map((d) => d.status).sort()).toEqual(["pending", "succeeded", "succeeded"]);
  });

  it("ends the deliveries of an event type the endpoint no longer subscribes to, failed with that reason", async () => {
    const { deliveries } = await changedDuringRound((endpointId) =>
      edit(endpointId, { url: receiverUrl, eventTypes: ["email.replied"] }).then(() => undefined),
    );
    expect(received).toHaveLength(1);
    expect(deliveries).toEqual([
      { status: "succeeded", last_error: null },
      { status: "failed", last_error: "Not sent: the endpoint no longer subscribes to lead.created events." },
      { status: "failed", last_error: "Not sent: the endpoint no longer subscribes to lead.created events." },
    ]);
  });
});

describe("Instantly replies and bounces as webhook events", () => {
  const eventsOf = async (type: string) =>
    serviceDb()
      .select({ data: webhookEvents.data })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.workspaceId, fx.a.id), eq(webhookEvents.type, type)));

  it("a reply stored for the first time is email.replied once, with the lead, as the sync reflects it", async () => {
    await subscribe(["email.replied"]);
    const address = `replier-${crypto.randomUUID()}@client.example`;
    const leadId = await insertTestLead(fx.a, { email: address, status: "contacted" });
    const reply = {
      id: `unibox-${crypto.randomUUID()}`,
      timestamp_created: "2026-11-28T10:00:00.000Z",
      lead: address,
      from_address_email: address,
      campaign_id: "019a5e00-0000-7000-8000-000000000001",
      subject: "Re: quick question",
      eaccount: "olivia@meridianreach.example",
      is_auto_reply: false,
    };
    // As the sync does: store the page, reflect only what was new.
    const syncPage = () =>
      withServiceTx(async (tx) => {
        const fresh = new Set((await storeInstantlyEmails(tx, fx.a.id, [reply])).filter((r) => r.inserted).map((r) => r.instantlyId));
        await reflectInstantlyReplies(
          tx,
          fx.a.id,
          [reply].filter((e) => fresh.has(e.id)),
        );
      });
    await syncPage();
    await syncPage();
    const events = await eventsOf("email.replied");
    expect(events).toEqual([
      {
        data: {
          email: expect.objectContaining({
            id: null,
            lead_id: leadId,
            to: address,
            from: "olivia@meridianreach.example",
            subject: "Re: quick question",
          }),
          replied_at: "2026-11-28T10:00:00.000Z",
          provider: "instantly",
          instantly: { email_id: reply.id, campaign_id: reply.campaign_id },
        },
      },
    ]);
    const [delivery] = await serviceDb().execute<{ n: number }>(sql`
      select count(*)::int as n from webhook_deliveries where workspace_id = ${fx.a.id}`);
    expect(delivery?.n).toBe(1);
  });

  it("a bounce Instantly reports is email.bounced once, when it moves the lead; nothing when rolled back or unsubscribed to", async () => {
    const address = `bouncer-${crypto.randomUUID()}@client.example`;
    const leadId = await insertTestLead(fx.a, { email: address, status: "contacted" });
    // No endpoint wants it: nothing is recorded.
    await subscribe(["lead.created"]);
    await withServiceTx((tx) => reflectInstantlyLeads(tx, fx.a.id, [{ id: "il-1", email: address, status: -1 }]));
    expect(await eventsOf("email.bounced")).toEqual([]);
    await serviceDb().execute(sql`update leads set status = 'contacted' where id = ${leadId}`);

    await subscribe(["email.bounced"]);
    await expect(
      withServiceTx(async (tx) => {
        await reflectInstantlyLeads(tx, fx.a.id, [{ id: "il-1", email: address, status: -1 }]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await eventsOf("email.bounced")).toEqual([]);

    await withServiceTx((tx) => reflectInstantlyLeads(tx, fx.a.id, [{ id: "il-1", email: address, status: -1 }]));
    await withServiceTx((tx) => reflectInstantlyLeads(tx, fx.a.id, [{ id: "il-1", email: address, status: -1 }]));
    expect(await eventsOf("email.bounced")).toEqual([
      {
        data: {
          email: expect.objectContaining({ id: null, lead_id: leadId, to: address }),
          bounced_at: expect.any(String),
          bounce_type: "hard",
          provider: "instantly",
        },
      },
    ]);
  });
});
