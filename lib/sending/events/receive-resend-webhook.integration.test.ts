import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { localWebhookSecret, resendEvent, svixHeaders } from "@/tests/fixtures/resend-webhook";
import { receiveResendWebhook, type ResendWebhookLimits } from "./receive-resend-webhook";

/** Each test its own limiter names and client address, so counts never leak between tests. */
function limits(overrides: Partial<ResendWebhookLimits> = {}): ResendWebhookLimits {
  const tag = randomBytes(4).toString("hex");
  return {
    maxBytes: 8 * 1024,
    perIp: { name: `resend-webhook-test-${tag}`, points: 100, durationSeconds: 60 },
    failuresPerIp: { name: `resend-webhook-failures-test-${tag}`, points: 100, durationSeconds: 300 },
    ...overrides,
  };
}

const randomIp = () => `198.51.100.${1 + Math.floor(Math.random() * 250)}`;

function post(body: string | ReadableStream<Uint8Array>, headers: Record<string, string>, ip = randomIp()): Request {
  return new Request("http://127.0.0.1:3999/api/webhooks/resend", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip, ...headers },
    body,
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  } as RequestInit);
}

const delivered = () => resendEvent("email.delivered", { email_id: randomUUID(), tags: { message_id: randomUUID() } });

async function stored(deliveryId: string) {
  const receipts = await serviceDb().execute<{ id: string; event_type: string }>(
    sql`select id, event_type from private.webhook_receipts where provider = 'resend' and delivery_id = ${deliveryId}`,
  );
  const events = receipts.length
    ? await serviceDb().execute<{ id: string }>(
        sql`select id from public.job_events where name = 'email/resend-webhook.received' and data->>'receiptId' = ${receipts[0]!.id}`,
      )
    : [];
  return { receipts, events };
}

describe("POST /api/webhooks/resend", () => {
  it("stores a verified delivery once and queues its processing", async () => {
    const body = delivered();
    const headers = svixHeaders(body, { secret: localWebhookSecret() });
    const response = await receiveResendWebhook(post(body, headers), limits());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    const { receipts, events } = await stored(headers["svix-id"]!);
    expect(receipts).toEqual([{ id: expect.any(String), event_type: "email.delivered" }]);
    expect(events).toHaveLength(1);
  });

  it("acknowledges a replayed svix-id (a retry or an attacker's copy) and changes nothing", async () => {
    const body = delivered();
    const id = `msg_${randomUUID()}`;
    const first = await receiveResendWebhook(post(body, svixHeaders(body, { secret: localWebhookSecret(), id })), limits());
    expect(first.status).toBe(200);
    // A copy re-sent a minute later, signed again (a provider retry is), and a different body under the same id.
    const later = Math.floor(Date.now() / 1000) + 60;
    const again = await receiveResendWebhook(
      post(body, svixHeaders(body, { secret: localWebhookSecret(), id, timestamp: later })),
      limits(),
    );
    const other = delivered();
    const swapped = await receiveResendWebhook(post(other, svixHeaders(other, { secret: localWebhookSecret(), id })), limits());
    for (const response of [again, swapped]) {
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true, duplicate: true });
    }
    const { receipts, events } = await stored(id);
    expect(receipts).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it("refuses a bad signature with 401 and a clear reason, storing nothing", async () => {
    const body = delivered();
    const forged = svixHeaders(body, { secret: `whsec_${randomBytes(24).toString("base64")}` });
    const tampered = { ...svixHeaders(body, { secret: localWebhookSecret() }) };
    const tamperedBody = body.replace("email.delivered", "email.bounced");
    for (const [text, headers] of [
      [body, forged],
      [tamperedBody, tampered],
    ] as const) {
      const response = await receiveResendWebhook(post(text, headers), limits());
      expect(response.status).toBe(401);
      expect((await response.json()).error).toMatch(/signature does not match/);
      expect((await stored(headers["svix-id"]!)).receipts).toEqual([]);
    }
  });

  it("refuses a delivery without the Svix headers", async () => {
    const body = delivered();
    const headers = svixHeaders(body, { secret: localWebhookSecret() });
    for (const missing of ["svix-id", "svix-timestamp", "svix-signature"]) {
      const partial = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== missing));
      const response = await receiveResendWebhook(post(body, partial), limits());
      expect(response.status).toBe(401);
      expect((await response.json()).error).toMatch(/not signed/);
    }
    expect((await stored(headers["svix-id"]!)).receipts).toEqual([]);
  });

  it("refuses stale and future timestamps (more than 5 minutes either way), though correctly signed", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [timestamp, reason] of [
      [now - 6 * 60, /more than 5 minutes old/],
      [now + 6 * 60, /in the future/],
    ] as const) {
      const body = delivered();
      const headers = svixHeaders(body, { secret: localWebhookSecret(), timestamp });
      const response = await receiveResendWebhook(post(body, headers), limits());
      expect(response.status).toBe(401);
      expect((await response.json()).error).toMatch(reason);
      expect((await stored(headers["svix-id"]!)).receipts).toEqual([]);
    }
    // Just inside the tolerance is accepted.
    const body = delivered();
    const headers = svixHeaders(body, { secret: localWebhookSecret(), timestamp: now - 4 * 60 });
    expect((await receiveResendWebhook(post(body, headers), limits())).status).toBe(200);
  });

  it("refuses an oversized body, announced or streamed without a length, before verifying anything", async () => {
    const big = resendEvent("email.delivered", { email_id: randomUUID(), padding: "x".repeat(10 * 1024) });
    const headers = svixHeaders(big, { secret: localWebhookSecret() });
    const announced = await receiveResendWebhook(post(big, { ...headers, "content-length": String(big.length) }), limits());
    expect(announced.status).toBe(413);
    expect((await announced.json()).error).toMatch(/larger than 8 KiB/);

    const bytes = new TextEncoder().encode(big);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(pulled, pulled + 1024));
        pulled += 1024;
      },
    });
    const streamed = await receiveResendWebhook(post(stream, headers), limits());
    expect(streamed.status).toBe(413);
    expect((await stored(headers["svix-id"]!)).receipts).toEqual([]);
  });

  it("refuses a signed body that is not a Resend event", async () => {
    const body = JSON.stringify({ hello: "world" });
    const headers = svixHeaders(body, { secret: localWebhookSecret() });
    const response = await receiveResendWebhook(post(body, headers), limits());
    expect(response.status).toBe(400);
    expect((await stored(headers["svix-id"]!)).receipts).toEqual([]);
  });

  it("rate-limits deliveries per address (429 with Retry-After), other addresses unaffected", async () => {
    const l = limits({ perIp: { name: `resend-webhook-test-${randomUUID()}`, points: 2, durationSeconds: 60 } });
    const ip = randomIp();
    const send = (from: string) => {
      const body = delivered();
      return receiveResendWebhook(post(body, svixHeaders(body, { secret: localWebhookSecret() }), from), l);
    };
    expect((await send(ip)).status).toBe(200);
    expect((await send(ip)).status).toBe(200);
    const limited = await send(ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error).toMatch(/Too many webhook deliveries/);
    expect((await send("203.0.113.77")).status).toBe(200);
  });

  it("locks out an address after repeated bad signatures, even for a good one", async () => {
    const l = limits({ failuresPerIp: { name: `resend-webhook-failures-test-${randomUUID()}`, points: 2, durationSeconds: 300 } });
    const ip = randomIp();
    const wrong = `whsec_${randomBytes(24).toString("base64")}`;
    for (let i = 0; i < 2; i++) {
      const body = delivered();
      expect((await receiveResendWebhook(post(body, svixHeaders(body, { secret: wrong }), ip), l)).status).toBe(401);
    }
    const body = delivered();
    const headers = svixHeaders(body, { secret: localWebhookSecret() });
    const refused = await receiveResendWebhook(post(body, headers, ip), l);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatch(/bad signature/);
    expect((await stored(headers["svix-id"]!)).receipts).toEqual([]);
  });
});
