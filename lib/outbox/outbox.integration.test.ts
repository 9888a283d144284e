import { sql } from "drizzle-orm";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { randomSuffix } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { claimIdempotencyKey, requestHash } from "./idempotency";
import { createLocalResendHandler, handleLocalResendRequest } from "./resend-endpoint";
import { storeOutboxMessage } from "./store";

let server: ServedHandler;
let limited: ServedHandler;
const PREFIX = "/api/local-resend";
const path = (request: Request) => new URL(request.url).pathname.slice(PREFIX.length);

beforeAll(async () => {
  server = await serveWebHandler((request) => handleLocalResendRequest(request, path(request)));
  const limitedHandler = createLocalResendHandler({ rateLimitPerSecond: 3 });
  limited = await serveWebHandler((request) => limitedHandler(request, path(request)));
});
afterAll(async () => {
  await server.close();
  await limited.close();
});

const client = (key = env().LOCAL_RESEND_API_KEY!, base = server.url) => new Resend(key, { baseUrl: `${base}${PREFIX}` });

async function messagesTo(address: string) {
  return serviceDb().execute<{ subject: string; html: string }>(
    sql`select subject, html from local.outbox_messages where ${address} = any(to_addresses)`,
  );
}

describe("the embedded Resend outbox, through the real Resend SDK", () => {
  it("stores a sent email and answers with its id", async () => {
    const to = `outbox-${randomSuffix()}@example.test`;
    const { data, error } = await client().emails.send({
      from: "a@lip.localhost",
      to,
      subject: "Bonjour Zoë",
      html: "<p>Salut</p>",
      text: "Salut",
    });
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await messagesTo(to)).toEqual([{ subject: "Bonjour Zoë", html: "<p>Salut</p>" }]);
  });

  it("rejects a wrong API key and a message without a body, as Resend does", async () => {
    const to = `rejected-${randomSuffix()}@example.test`;
    const wrongKey = await client("re_wrong_key").emails.send({ from: "a@lip.localhost", to, subject: "x", text: "x" });
    expect(wrongKey.error?.name).toBe("invalid_api_key");
    const noBody = await client().emails.send({ from: "a@lip.localhost", to, subject: "x" } as never);
    expect(noBody.error?.name).toBe("validation_error");
    expect(await messagesTo(to)).toHaveLength(0);
  });
});

describe("Resend's Idempotency-Key semantics", () => {
  it("answers a repeat of the same key and payload with the first response, sending once", async () => {
    const to = `idem-${randomSuffix()}@example.test`;
    const payload = { from: "a@lip.localhost", to, subject: "Once", text: "only once", tags: [{ name: "message_id", value: "m1" }] };
    const first = await client().emails.send(payload, { idempotencyKey: `key-${to}` });
    const second = await client().emails.send(payload, { idempotencyKey: `key-${to}` });
    expect(first.error).toBeNull();
    expect(second.error).toBeNull();
    expect(second.data?.id).toBe(first.data?.id);
    expect(await messagesTo(to)).toHaveLength(1);
  });

  it("refuses the same key with another payload (409 invalid_idempotent_request) and sends nothing more", async () => {
    const to = `idem-other-${randomSuffix()}@example.test`;
    const key = `key-${to}`;
    const first = await client().emails.send({ from: "a@lip.localhost", to, subject: "First", text: "body" }, { idempotencyKey: key });
    expect(first.error).toBeNull();
    const other = await client().emails.send({ from: "a@lip.localhost", to, subject: "Second", text: "body" }, { idempotencyKey: key });
    expect(other.data).toBeNull();
    expect(other.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect((await messagesTo(to)).map((m) => m.subject)).toEqual(["First"]);
  });

  it("refuses a repeat while the original is still in flight (409 concurrent_idempotent_requests), then answers it once stored", async () => {
    const to = `idem-flight-${randomSuffix()}@example.test`;
    const key = `key-${to}`;
    const payload = { from: "a@lip.localhost", to, subject: "In flight", text: "body" };
    // The original request has claimed the key and not stored its message yet.
    expect(await claimIdempotencyKey(key, requestHash(payload))).toEqual({ kind: "claimed" });
    const repeat = await client().emails.send(payload, { idempotencyKey: key });
    expect(repeat.error).toMatchObject({ statusCode: 409, name: "concurrent_idempotent_requests" });
    expect(await messagesTo(to)).toHaveLength(0);
    // The original finishes: a retry now gets its response.
    const id = await storeOutboxMessage({
      idempotencyKey: key,
      fromAddress: payload.from,
      toAddresses: [to],
      subject: payload.subject,
      html: null,
      textBody: payload.text,
      headers: {},
      tags: [],
    });
    const retry = await client().emails.send(payload, { idempotencyKey: key });
    expect(retry).toMatchObject({ data: { id }, error: null });
    expect(await messagesTo(to)).toHaveLength(1);
  });

  it("lets two truly concurrent sends with one key store one message", async () => {
    const to = `idem-race-${randomSuffix()}@example.test`;
    const payload = { from: "a@lip.localhost", to, subject: "Race", text: "body" };
    const results = await Promise.all(Array.from({ length: 6 }, () => client().emails.send(payload, { idempotencyKey: `key-${to}` })));
    const ids = new Set(results.flatMap((r) => (r.data ? [r.data.id] : [])));
    expect(ids.size).toBe(1);
    for (const r of results) if (r.error) expect(r.error.name).toBe("concurrent_idempotent_requests");
    expect(await messagesTo(to)).toHaveLength(1);
  });

  it("refuses a key longer than 256 characters (400 invalid_idempotency_key)", async () => {
    const to = `idem-long-${randomSuffix()}@example.test`;
    const result = await client().emails.send(
      { from: "a@lip.localhost", to, subject: "x", text: "x" },
      { idempotencyKey: "k".repeat(257) },
    );
    expect(result.error).toMatchObject({ statusCode: 400, name: "invalid_idempotency_key" });
    expect(await messagesTo(to)).toHaveLength(0);
  });

  it("forgets a key after 24 hours, as Resend does", async () => {
    const to = `idem-old-${randomSuffix()}@example.test`;
    const key = `key-${to}`;
    const payload = { from: "a@lip.localhost", to, subject: "Old", text: "body" };
    const first = await client().emails.send(payload, { idempotencyKey: key });
    await serviceDb().execute(sql`update local.outbox_idempotency_keys set created_at = now() - interval '25 hours' where key = ${key}`);
    const later = await client().emails.send(payload, { idempotencyKey: key });
    expect(later.error).toBeNull();
    expect(later.data?.id).not.toBe(first.data?.id);
    expect(await messagesTo(to)).toHaveLength(2);
  });
});

describe("the optional rate limit (LOCAL_OUTBOX_RATE_LIMIT)", () => {
  it("answers 429 rate_limit_exceeded with Resend's headers past the limit, sends nothing then, and accepts again a second later", async () => {
    const to = `limited-${randomSuffix()}@example.test`;
    const send = (n: number) => client(undefined, limited.url).emails.send({ from: "a@lip.localhost", to, subject: `n${n}`, text: "x" });
    const results = await Promise.all([0, 1, 2, 3, 4].map(send));
    const refused = results.filter((r) => r.error);
    expect(results.filter((r) => r.data)).toHaveLength(3);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.error).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });
      expect(r.headers).toMatchObject({ "ratelimit-limit": "3", "ratelimit-remaining": "0", "ratelimit-reset": "1", "retry-after": "1" });
    }
    expect(results.find((r) => r.data)?.headers).toMatchObject({ "ratelimit-limit": "3" });
    expect(await messagesTo(to)).toHaveLength(3);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await send(5)).error).toBeNull();
    expect(await messagesTo(to)).toHaveLength(4);
  });

  it("is off unless configured: no 429 and no ratelimit headers", async () => {
    const to = `unlimited-${randomSuffix()}@example.test`;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) => client().emails.send({ from: "a@lip.localhost", to, subject: `n${n}`, text: "x" })),
    );
    expect(results.every((r) => r.error === null)).toBe(true);
    expect(results[0]!.headers?.["ratelimit-limit"]).toBeUndefined();
  });
});
