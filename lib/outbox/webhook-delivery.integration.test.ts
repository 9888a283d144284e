import { sql } from "drizzle-orm";
import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env, parseEnv } from "@/lib/env";
import { randomSuffix } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { handleLocalResendRequest } from "./resend-endpoint";
import { findOutboxMessage } from "./store";
import { emitOutboxEvent } from "./webhook-events";
import {
  claimDueDeliveries,
  deliverDueWebhooks,
  outboxWebhookTarget,
  retryDelaySeconds,
  startOutboxWebhookDelivery,
} from "./webhook-delivery";

/**
 * The sender side of the outbox's webhooks, received by a stand-in for the app's route that
 * verifies each delivery with the Resend SDK's own webhooks.verify, as the real route does.
 */
const PREFIX = "/api/local-resend";
type Received = { id: string; timestamp: string; event: { type: string; created_at: string; data: Record<string, unknown> } };
let outbox: ServedHandler;
let receiver: ServedHandler;
let received: Received[] = [];
let answer = 200;
let refusedSignatures = 0;

beforeAll(async () => {
  outbox = await serveWebHandler((request) => handleLocalResendRequest(request, new URL(request.url).pathname.slice(PREFIX.length)));
  receiver = await serveWebHandler(async (request) => {
    // A sign-in page: answers anything with 200.
    if (new URL(request.url).pathname === "/login") return new Response("<h1>Log in</h1>", { status: 200 });
    const payload = await request.text();
    const headers = {
      id: request.headers.get("svix-id") ?? "",
      timestamp: request.headers.get("svix-timestamp") ?? "",
      signature: request.headers.get("svix-signature") ?? "",
    };
    try {
      const event = new Resend("re_unused").webhooks.verify({ payload, headers, webhookSecret: env().LOCAL_RESEND_WEBHOOK_SECRET! });
      if (answer === 200) received.push({ id: headers.id, timestamp: headers.timestamp, event: event as unknown as Received["event"] });
    } catch {
      refusedSignatures += 1;
      return new Response("bad signature", { status: 401 });
    }
    const answerHeaders: Record<string, string> = answer === 429 ? { "retry-after": "1" } : answer === 307 ? { location: "/login" } : {};
    return new Response(answer === 200 ? "ok" : "down", { status: answer, headers: answerHeaders });
  });
});
afterAll(async () => {
  await outbox.close();
  await receiver.close();
});
beforeEach(() => {
  received = [];
  answer = 200;
  refusedSignatures = 0;
});

const target = () => ({ url: receiver.url, secret: env().LOCAL_RESEND_WEBHOOK_SECRET! });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendCampaignEmail() {
  const to = `hook-${randomSuffix()}@example.test`;
  const rfc = `<${randomSuffix()}@mail.acme.test>`;
  const { data, error } = await new Resend(env().LOCAL_RESEND_API_KEY, { baseUrl: `${outbox.url}${PREFIX}` }).emails.send({
    from: "Sam <sam@acme.test>",
    to,
    subject: "Quick question",
    text: "Hello",
    headers: { "Message-ID": rfc },
    tags: [
      { name: "workspace_id", value: "w1" },
      { name: "message_id", value: "m1" },
    ],
  });
  expect(error).toBeNull();
  return { id: data!.id, to, rfc };
}

const rowsOf = (emailId: string) =>
  serviceDb().execute<{
    id: string;
    event_type: string;
    attempts: number;
    delivered_at: Date | null;
    failed_at: Date | null;
    last_status: number | null;
  }>(
    sql`select id, event_type, attempts, delivered_at, failed_at, last_status from local.outbox_webhook_deliveries where email_id = ${emailId} order by created_at, event_type desc`,
  );

describe("the outbox's webhook deliveries", () => {
  it("posts email.sent at once and email.delivered a second later, signed so that the Resend SDK's webhooks.verify accepts them", async () => {
    const sent = await sendCampaignEmail();
    expect(await deliverDueWebhooks(target(), { emailIds: [sent.id] })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(received.map((r) => r.event.type)).toEqual(["email.sent"]);
    await sleep(1100);
    expect(await deliverDueWebhooks(target(), { emailIds: [sent.id] })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(received.map((r) => r.event.type)).toEqual(["email.sent", "email.delivered"]);
    expect(refusedSignatures).toBe(0);

    const delivered = received[1]!;
    expect(delivered.id).toMatch(/^msg_/);
    expect(delivered.id).not.toBe(received[0]!.id);
    expect(Math.abs(Number(delivered.timestamp) - Date.now() / 1000)).toBeLessThan(10);
    expect(delivered.event.data).toMatchObject({
      email_id: sent.id,
      from: "Sam <sam@acme.test>",
      to: [sent.to],
      subject: "Quick question",
      message_id: sent.rfc,
      tags: { workspace_id: "w1", message_id: "m1" },
    });
    expect(Date.parse(delivered.event.created_at)).toBeGreaterThan(Date.parse(received[0]!.event.created_at));
    expect((await rowsOf(sent.id)).every((row) => row.delivered_at !== null && row.last_status === 200)).toBe(true);
    // Delivered once: nothing is due any more.
    expect(await deliverDueWebhooks(target(), { emailIds: [sent.id] })).toMatchObject({ claimed: 0 });
  });

  it("announces what emitOutboxEvent is given, with its extra data (a bounce)", async () => {
    const sent = await sendCampaignEmail();
    const message = (await findOutboxMessage(sent.id))!;
    const bounce = { message: "550 5.1.1 user unknown", type: "Permanent", subType: "General" };
    const svixId = await emitOutboxEvent("email.bounced", message, { bounce });
    await deliverDueWebhooks(target(), { emailIds: [sent.id] });
    const event = received.find((r) => r.id === svixId);
    expect(event?.event).toMatchObject({ type: "email.bounced", data: { email_id: sent.id, bounce, message_id: sent.rfc } });
  });

  it("retries a refused delivery on Svix's schedule under the same svix-id, with a fresh timestamp", async () => {
    const sent = await sendCampaignEmail();
    answer = 503;
    expect(await deliverDueWebhooks(target(), { emailIds: [sent.id] })).toMatchObject({ claimed: 1, retrying: 1, delivered: 0 });
    const [first] = await rowsOf(sent.id);
    expect(first).toMatchObject({ event_type: "email.sent", attempts: 1, delivered_at: null, last_status: 503 });
    // Not due again before its 5 seconds.
    answer = 200;
    await sleep(1100);
    const early = await deliverDueWebhooks(target(), { emailIds: [sent.id] });
    expect(received.map((r) => r.event.type)).toEqual(["email.delivered"]);
    expect(early.claimed).toBe(1);
    await sleep(4200);
    await deliverDueWebhooks(target(), { emailIds: [sent.id] });
    const retried = received.find((r) => r.event.type === "email.sent");
    expect(retried?.id).toBe(first!.id);
    expect((await rowsOf(sent.id)).find((r) => r.id === first!.id)).toMatchObject({ attempts: 2, last_status: 200 });
  });

  it("waits as long as the route's 429 retry-after asks, without spending an attempt", async () => {
    const sent = await sendCampaignEmail();
    answer = 429;
    expect(await deliverDueWebhooks(target(), { emailIds: [sent.id] })).toMatchObject({ claimed: 1, retrying: 1 });
    expect((await rowsOf(sent.id))[0]).toMatchObject({ attempts: 0, last_status: 429, delivered_at: null });
    answer = 200;
    expect(await deliverDueWebhooks(target(), { emailIds: [sent.id] })).toMatchObject({ claimed: 0 });
    await sleep(1100);
    await deliverDueWebhooks(target(), { emailIds: [sent.id] });
    expect(received.map((r) => r.event.type)).toEqual(expect.arrayContaining(["email.sent", "email.delivered"]));
    expect((await rowsOf(sent.id))[0]).toMatchObject({ attempts: 1, last_status: 200 });
  });

  it("counts a redirect (to a sign-in page, say) as a failure, not a delivery", async () => {
    const sent = await sendCampaignEmail();
    answer = 307;
    expect(await deliverDueWebhooks(target(), { emailIds: [sent.id] })).toMatchObject({ claimed: 1, delivered: 0, retrying: 1 });
    expect((await rowsOf(sent.id))[0]).toMatchObject({ attempts: 1, last_status: 307, delivered_at: null });
  });

  it("gives up after the schedule's last attempt", async () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelaySeconds)).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000, null]);
    const sent = await sendCampaignEmail();
    answer = 500;
    await serviceDb().execute(
      sql`update local.outbox_webhook_deliveries set attempts = 7 where email_id = ${sent.id} and event_type = 'email.sent'`,
    );
    await deliverDueWebhooks(target(), { emailIds: [sent.id] });
    const [row] = await rowsOf(sent.id);
    expect(row).toMatchObject({ attempts: 8, delivered_at: null, last_status: 500 });
    expect(row!.failed_at).not.toBeNull();
  });

  it("loses nothing when the process sending it dies mid-delivery: the claim lapses and a later pass delivers it", async () => {
    const sent = await sendCampaignEmail();
    // A pass claims the delivery and dies before sending it.
    expect(await claimDueDeliveries({ emailIds: [sent.id], leaseSeconds: 1 })).toHaveLength(1);
    expect(await deliverDueWebhooks(target(), { emailIds: [sent.id] })).toMatchObject({ claimed: 0 });
    await sleep(1100);
    await deliverDueWebhooks(target(), { emailIds: [sent.id] });
    expect(received.map((r) => r.event.type)).toEqual(expect.arrayContaining(["email.sent", "email.delivered"]));
  });

  it("posts to the app's own webhook route, and not at all when a real provider is configured", async () => {
    const base = { ...process.env, APP_URL: "http://localhost:4201" };
    expect(outboxWebhookTarget(parseEnv(base))).toEqual({
      url: "http://localhost:4201/api/webhooks/resend?from=local-outbox",
      secret: process.env.LOCAL_RESEND_WEBHOOK_SECRET,
    });
    const real = parseEnv({ ...base, RESEND_API_KEY: "re_real_key" });
    expect(outboxWebhookTarget(real)).toBeNull();
    const production = parseEnv({ ...base, NODE_ENV: "production" });
    expect(outboxWebhookTarget(production)).toBeNull();

    // The loop does not start: a pending delivery stays pending.
    const sent = await sendCampaignEmail();
    const loop = startOutboxWebhookDelivery({ e: { ...real, APP_URL: receiver.url }, intervalMs: 10 });
    await sleep(300);
    await loop.stop();
    expect(received).toEqual([]);
    expect((await rowsOf(sent.id)).every((row) => row.attempts === 0)).toBe(true);
  });
});
