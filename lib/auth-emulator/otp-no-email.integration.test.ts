import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { canDeliver } from "@/lib/email/delivery";
import { countEmailsTo, createConfirmedUser, rawAuthRequest, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

// Production with no email provider, sign-up on: read by env()'s first call.
(process.env as Record<string, string>).NODE_ENV = "production";
process.env.AUTH_ENABLE_SIGNUP = "true";
delete process.env.LOCAL_OUTBOX_ENABLED;

let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

describe("/otp and /recover when credential mail cannot be delivered", () => {
  it("refuse every address with the same plain 422, creating and sending nothing", async () => {
    expect(canDeliver("credential")).toBe(false);
    const { email: known } = await createConfirmedUser(server, "nomail-known");
    const unknown = uniqueEmail("nomail-unknown");
    const answers = [];
    for (const [path, email] of [
      ["/otp", known],
      ["/otp", unknown],
      ["/recover", known],
      ["/recover", unknown],
    ] as const) {
      const { status, body } = await rawAuthRequest(server, path, { ip: "192.0.2.50", body: { email } });
      answers.push({ status, body: JSON.parse(body) as unknown });
    }
    const expected = {
      status: 422,
      body: { code: 422, error_code: "email_provider_disabled", msg: expect.stringContaining("Email is not configured") },
    };
    expect(answers).toEqual(Array(4).fill(expected));
    expect(await countEmailsTo(known)).toBe(0);
    expect(await serviceDb().execute(sql`select 1 from auth.users where lower(email) = ${unknown}`)).toHaveLength(0);
  });
});
