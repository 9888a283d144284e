import { InngestTestEngine } from "@inngest/test";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { processInstantlyWebhookFunction } from "@/inngest/functions/integrations/process-instantly-webhook";
import { connectIntegrationSandbox } from "@/lib/integrations/accounts/connect-sandbox";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveWebHandler } from "@/tests/serve-web-handler";
import { handleInstantlySandboxRequest } from "../sandbox/handler";
import { storeInstantlyEmails } from "../raw-store";
import { instantlyDeliveryId, receiveInstantlyWebhook } from "./receive";
import { connectedInstantlyWebhookSecret, INSTANTLY_WEBHOOK_HEADER, instantlyWebhookSecret } from "./secret";

/** The sandbox answers the key check when Instantly is connected (APP_URL, read once per process). */
const ROUTE = "/api/sandbox/instantly";
const served = await serveWebHandler((request) =>
  handleInstantlySandboxRequest(request, new URL(request.url).pathname.slice(ROUTE.length)),
);
process.env.APP_URL = served.url;

let fx: TenancyFixture;
const ours: Record<"bounced" | "unsubscribed" | "replied", string> = { bounced: "", unsubscribed: "", replied: "" };
const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
/** Workspace A's header value, once its sandbox account is connected. */
let secretOfA = "";

function delivery(workspaceId: string, body: unknown, secret: string | null = secretOfA) {
  return new Request(`http://127.0.0.1:3999/api/webhooks/instantly/${workspaceId}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": ip,
      ...(secret === null ? {} : { [INSTANTLY_WEBHOOK_HEADER]: secret }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const event = (eventType: string, email: string, extra: Record<string, unknown> = {}) => ({
  timestamp: new Date(Date.parse("2026-11-28T10:00:00Z") + Math.floor(Math.random() * 1e9)).toISOString(),
  event_type: eventType,
  workspace: "instantly-workspace-id",
  campaign_id: "019a5e00-0000-7000-8000-000000000001",
  campaign_name: "Q4",
  lead_email: email,
  email_account: "olivia.hartley@meridianreach.example",
  firstName: "Merged lead field",
  ...extra,
});

async function ciphertextOfA() {
  const [row] = await serviceDb().execute<{ secret_ciphertext: string }>(
    sql`select secret_ciphertext from integration_accounts where workspace_id = ${fx.a.id} and vendor = 'instantly'`,
  );
  return row!.secret_ciphertext;
}

async function receiptOf(workspaceId: string, body: ReturnType<typeof event>) {
  const [row] = await serviceDb().execute<{ id: string }>(sql`
    select id from private.webhook_receipts where provider = 'instantly'
    and delivery_id = ${instantlyDeliveryId(workspaceId, body as Parameters<typeof instantlyDeliveryId>[1])}`);
  return row?.id;
}

async function processReceipt(receiptId: string) {
  const engine = new InngestTestEngine({
    function: processInstantlyWebhookFunction,
    events: [{ name: "integrations/instantly-webhook.received", data: { receiptId } } as EventPayload],
  });
  const { result, error } = (await engine.execute()) as { result?: { outcome: string }; error?: Error };
  expect(error).toBeUndefined();
  return result!;
}

async function ourLead(id: string) {
  const [lead] = await serviceDb().execute<{ status: string }>(sql`select status from leads where id = ${id}`);
  const activities = await serviceDb().execute<{ type: string }>(sql`select type from lead_activities where lead_id = ${id} order by 1`);
  return { status: lead!.status, activities: activities.map((a) => a.type).sort() };
}

async function insertOurLead(workspaceId: string, email: string, status: string) {
  const [row] = await serviceDb().execute<{ id: string }>(sql`
    insert into leads (workspace_id, first_name, email, status) values (${workspaceId}, 'Zoë', ${email}, ${status}) returning id`);
  return row!.id;
}

const tag = randomBytes(3).toString("hex");
const address = (who: string) => `${who}-${tag}@brightlane.example`;

beforeAll(async () => {
  fx = await createTenancyFixture();
  const admin = fx.a.members.admin;
  await asUser(admin, (tx) =>
    connectIntegrationSandbox(tx, { workspaceId: fx.a.id, userId: admin.id, role: "admin" }, { vendor: "instantly" }),
  );
  secretOfA = (await connectedInstantlyWebhookSecret(serviceDb(), fx.a.id))!.secret;
  ours.bounced = await insertOurLead(fx.a.id, address("Bounce").toUpperCase(), "contacted");
  ours.unsubscribed = await insertOurLead(fx.a.id, address("unsub"), "interested");
  ours.replied = await insertOurLead(fx.a.id, address("reply"), "contacted");
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await served.close();
});

describe("the Instantly webhook route", () => {
  it("refuses a delivery without the workspace's secret header, and writes nothing", async () => {
    const body = event("email_bounced", address("bounce"));
    for (const request of [
      delivery(fx.a.id, body, null),
      delivery(fx.a.id, body, "wrong-secret"),
      // A's stored key with another workspace's id: the workspace is part of the secret.
      delivery(fx.a.id, body, instantlyWebhookSecret(fx.b.id, await ciphertextOfA())),
      delivery("not-a-workspace", body, secretOfA),
    ]) {
      const response = await receiveInstantlyWebhook(request, new URL(request.url).pathname.split("/").at(-1)!);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.stringContaining(`${INSTANTLY_WEBHOOK_HEADER} header`) });
    }
    expect(await receiptOf(fx.a.id, body)).toBeUndefined();
  });

  it("refuses, in words, a workspace without Instantly and a body that is not an Instantly event", async () => {
    const notConnected = await receiveInstantlyWebhook(delivery(fx.b.id, event("email_bounced", address("x"))), fx.b.id);
    expect(notConnected.status).toBe(404);
    const noType = await receiveInstantlyWebhook(delivery(fx.a.id, { timestamp: new Date().toISOString() }), fx.a.id);
    expect(noType.status).toBe(400);
    expect(await noType.json()).toEqual({ error: "The delivery is not an Instantly event: event_type: event_type is required." });
    const notJson = await receiveInstantlyWebhook(delivery(fx.a.id, "{nope"), fx.a.id);
    expect(notJson.status).toBe(400);
  });

  it("stores a bounce once (a repeated delivery is acknowledged and ignored) and the job reflects it on the lead and the suppression list", async () => {
    const body = event("email_bounced", address("bounce"));
    const first = await receiveInstantlyWebhook(delivery(fx.a.id, body), fx.a.id);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true });
    const again = await receiveInstantlyWebhook(delivery(fx.a.id, body), fx.a.id);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    const receiptId = (await receiptOf(fx.a.id, body))!;
    const queued = await serviceDb().execute<{ data: unknown }>(
      sql`select data from public.job_events where name = 'integrations/instantly-webhook.received' and data->>'receiptId' = ${receiptId}`,
    );
    expect(queued).toHaveLength(1);

    expect(await processReceipt(receiptId)).toMatchObject({ outcome: "email_bounced: address suppressed, 1 lead(s) moved" });
    expect(await ourLead(ours.bounced)).toEqual({ status: "bounced", activities: ["email_bounced", "status_changed"] });
    const suppressed = await serviceDb().execute<{ reason: string }>(
      sql`select reason from suppressions where workspace_id = ${fx.a.id} and value = ${address("bounce")}`,
    );
    expect(suppressed).toHaveLength(1);
    // A replayed job changes nothing.
    expect((await processReceipt(receiptId)).outcome).toMatch(/^already processed/);
    expect((await ourLead(ours.bounced)).activities).toEqual(["email_bounced", "status_changed"]);
  });

  it("reflects an unsubscribe, and a reply once, even when the sync later reads the same reply", async () => {
    const unsub = event("lead_unsubscribed", address("unsub"));
    await receiveInstantlyWebhook(delivery(fx.a.id, unsub), fx.a.id);
    await processReceipt((await receiptOf(fx.a.id, unsub))!);
    expect(await ourLead(ours.unsubscribed)).toEqual({ status: "unsubscribed", activities: ["status_changed", "unsubscribed"] });

    const emailId = `019a5e02-0000-7000-8000-${tag.padStart(12, "0")}`;
    const reply = event("reply_received", address("reply"), {
      email_id: emailId,
      reply_subject: "Re: Quick question",
      reply_text_snippet: "Happy to chat",
    });
    await receiveInstantlyWebhook(delivery(fx.a.id, reply), fx.a.id);
    expect(await processReceipt((await receiptOf(fx.a.id, reply))!)).toMatchObject({ outcome: "reply noted on 1 lead(s)" });
    expect(await ourLead(ours.replied)).toEqual({ status: "replied", activities: ["email_replied", "status_changed"] });
    // The sync reads the same email from GET /emails: already stored, so it is not new.
    const changed = await serviceDb().transaction((tx) =>
      storeInstantlyEmails(tx, fx.a.id, [
        { id: emailId, timestamp_created: reply.timestamp, lead: address("reply"), subject: "Re: Quick question" },
      ]),
    );
    expect(changed.filter((c) => c.inserted)).toEqual([]);

    const opened = event("email_opened", address("reply"));
    await receiveInstantlyWebhook(delivery(fx.a.id, opened), fx.a.id);
    expect((await processReceipt((await receiptOf(fx.a.id, opened))!)).outcome).toMatch(/^email_opened: stored, not reflected/);
  });
  it("suppresses a bounce and an unsubscribe for an address no lead of ours has, so it is never mailed later", async () => {
    for (const [type, who, reason] of [
      ["email_bounced", "stranger-bounce", "bounce"],
      ["lead_unsubscribed", "stranger-unsub", "unsubscribe"],
    ] as const) {
      const body = event(type, ` ${address(who).toUpperCase()} `);
      await receiveInstantlyWebhook(delivery(fx.a.id, body), fx.a.id);
      expect(await processReceipt((await receiptOf(fx.a.id, body))!)).toMatchObject({
        outcome: `${type}: address suppressed, 0 lead(s) moved`,
      });
      const listed = await serviceDb().execute<{ reason: string }>(
        sql`select reason from suppressions where workspace_id = ${fx.a.id} and value = ${address(who)}`,
      );
      expect(listed).toEqual([{ reason }]);
    }
    // Nothing was made of them: no lead.
    const made = await serviceDb().execute(
      sql`select 1 from leads where workspace_id = ${fx.a.id} and lower(email) in (${address("stranger-bounce")}, ${address("stranger-unsub")})`,
    );
    expect(made).toHaveLength(0);
  });

  it("makes a lead of a reply from an address no lead of ours has, so the reply is seen, read and worked, once", async () => {
    const who = address("newcomer");
    const reply = event("reply_received", who.toUpperCase(), {
      email_id: `019a5e03-0000-7000-8000-${tag.padStart(12, "0")}`,
      reply_subject: "Re: Q4 — who are you?",
      reply_text_snippet: "Tell me more",
      lastName: "Okafor",
    });
    await receiveInstantlyWebhook(delivery(fx.a.id, reply), fx.a.id);
    const receiptId = (await receiptOf(fx.a.id, reply))!;
    expect(await processReceipt(receiptId)).toMatchObject({
      outcome: "reply noted on 1 lead(s) (added as a lead: no lead had the address)",
    });
    const made = await serviceDb().execute<{ id: string; first_name: string; last_name: string; source: string; owner_id: null }>(sql`
      select id, first_name, last_name, source, owner_id from leads where workspace_id = ${fx.a.id} and lower(email) = ${who}`);
    expect(made).toEqual([
      { id: expect.any(String), first_name: "Merged lead field", last_name: "Okafor", source: "instantly", owner_id: null },
    ]);
    expect(await ourLead(made[0]!.id)).toEqual({ status: "replied", activities: ["email_replied", "imported", "status_changed"] });
    // In the Replies inbox as any reply is, waiting for the model, with what was said.
    const inbox = await serviceDb().execute<{ subject: string; body: string }>(sql`
      select subject, body from reply_classifications where workspace_id = ${fx.a.id} and lead_id = ${made[0]!.id}`);
    expect(inbox).toEqual([{ subject: "Re: Q4 — who are you?", body: "Tell me more" }]);
    // Replayed, or delivered again: nothing more.
    expect((await processReceipt(receiptId)).outcome).toMatch(/^already processed/);
    expect((await ourLead(made[0]!.id)).activities).toHaveLength(3);
  });

  it("keeps a reply from an address whose lead was deleted here raw only: the lead is not made again", async () => {
    const who = address("deleted");
    const deleted = await insertOurLead(fx.a.id, who, "contacted");
    await serviceDb().execute(sql`update leads set deleted_at = now() where id = ${deleted}`);
    const emailId = `019a5e04-0000-7000-8000-${tag.padStart(12, "0")}`;
    const reply = event("reply_received", who, { email_id: emailId, reply_subject: "Re" });
    await receiveInstantlyWebhook(delivery(fx.a.id, reply), fx.a.id);
    expect(await processReceipt((await receiptOf(fx.a.id, reply))!)).toMatchObject({
      outcome: "reply from an address that cannot be a lead here: kept in Instantly's emails only",
    });
    expect(await serviceDb().execute(sql`select id from leads where workspace_id = ${fx.a.id} and lower(email) = ${who}`)).toEqual([
      { id: deleted },
    ]);
    expect(await ourLead(deleted)).toEqual({ status: "contacted", activities: [] });
    const raw = await serviceDb().execute(
      sql`select 1 from instantly_emails where workspace_id = ${fx.a.id} and instantly_id = ${emailId}`,
    );
    expect(raw).toHaveLength(1);
  });
});
