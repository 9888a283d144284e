import { sql } from "drizzle-orm";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { randomSuffix } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { handleLocalResendRequest } from "./resend-endpoint";

let server: ServedHandler;
const PREFIX = "/api/local-resend";

beforeAll(async () => {
  server = await serveWebHandler((request) => handleLocalResendRequest(request, new URL(request.url).pathname.slice(PREFIX.length)));
});
afterAll(async () => {
  await server.close();
});

const client = (key = env().LOCAL_RESEND_API_KEY!) => new Resend(key, { baseUrl: `${server.url}${PREFIX}` });

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

  it("sends once per idempotency key", async () => {
    const to = `idem-${randomSuffix()}@example.test`;
    const payload = { from: "a@lip.localhost", to, subject: "Once", text: "only once" };
    const first = await client().emails.send(payload, { idempotencyKey: `key-${to}` });
    const second = await client().emails.send(payload, { idempotencyKey: `key-${to}` });
    expect(second.data?.id).toBe(first.data?.id);
    expect(await messagesTo(to)).toHaveLength(1);
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
