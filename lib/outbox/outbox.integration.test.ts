import { sql } from "drizzle-orm";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { openPostgres } from "@/db/postgres-target";
import { env } from "@/lib/env";
import { randomSuffix } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { createLocalResendHandler, handleLocalResendRequest } from "./resend-endpoint";

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
  await direct.end();
});

const client = (key = env().LOCAL_RESEND_API_KEY!, base = server.url) => new Resend(key, { baseUrl: `${base}${PREFIX}` });

/** A connection of its own, to hold a lock while the outbox works. */
const direct = openPostgres(process.env.DATABASE_URL ?? "", { max: 2, onnotice: () => {} });

async function waitersOn(table: string): Promise<number> {
  const [row] = await direct<{ n: number }[]>`select count(*)::int as n from pg_locks where relation = ${table}::regclass and not granted`;
  return row?.n ?? 0;
}

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

  it("stops reading a send past 10 MB (413) instead of taking in a body that never ends", async () => {
    const endless = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024).fill(32)) });
    const request = new Request("http://127.0.0.1/api/local-resend/emails", {
      method: "POST",
      headers: { authorization: `Bearer ${env().LOCAL_RESEND_API_KEY!}`, "content-type": "application/json" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    const response = await handleLocalResendRequest(request, "/emails");
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ name: "validation_error", message: "The email is larger than 10 MB." });
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

  it("answers truly concurrent sends with one key and one payload with one message's id, storing it once", async () => {
    const to = `idem-race-${randomSuffix()}@example.test`;
    const payload = { from: "a@lip.localhost", to, subject: "Race", text: "body" };
    const results = await Promise.all(Array.from({ length: 6 }, () => client().emails.send(payload, { idempotencyKey: `key-${to}` })));
    // The key is written in the statement that stores the message: the repeats wait for it to
    // commit and get its answer (never a key in flight without a message).
    expect(results.map((r) => r.error)).toEqual(Array(6).fill(null));
    expect(new Set(results.map((r) => r.data?.id)).size).toBe(1);
    expect(await messagesTo(to)).toHaveLength(1);
  });

  it("answers a repeat sent while the first is still being stored with the first's id once it is, never 409 in flight", async () => {
    const to = `idem-flight-${randomSuffix()}@example.test`;
    const payload = { from: "a@lip.localhost", to, subject: "In flight", text: "body" };
    const send = () => client().emails.send(payload, { idempotencyKey: `key-${to}` });
    // Messages cannot be written while this transaction holds the table: the first send stops there.
    const holder = await direct.reserve();
    try {
      await holder`begin`;
      await holder`lock table local.outbox_messages in share mode`;
      const first = send();
      await expect.poll(() => waitersOn("local.outbox_messages")).toBe(1);
      const repeat = send();
      // Long enough for a repeat that does not wait (a key committed before its message) to be answered.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await holder`commit`;
      const results = await Promise.all([first, repeat]);
      expect(results.map((r) => r.error)).toEqual([null, null]);
      expect(results[1]!.data?.id).toBe(results[0]!.data?.id);
    } finally {
      holder.release();
    }
    expect(await messagesTo(to)).toHaveLength(1);
  });

  it("queues the provider's webhooks once per stored message, none for a repeat", async () => {
    const to = `idem-events-${randomSuffix()}@example.test`;
    const payload = { from: "a@lip.localhost", to, subject: "Events", text: "body" };
    const first = await client().emails.send(payload, { idempotencyKey: `key-${to}` });
    await client().emails.send(payload, { idempotencyKey: `key-${to}` });
    // Every delivery that names the address, whichever message it would announce.
    const events = await serviceDb().execute<{ event_type: string; email_id: string }>(
      sql`select event_type, email_id from local.outbox_webhook_deliveries where strpos(body, ${to}) > 0 order by event_type`,
    );
    expect(events).toEqual([
      { event_type: "email.delivered", email_id: first.data!.id },
      { event_type: "email.sent", email_id: first.data!.id },
    ]);
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
