import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { canDeliver } from "@/lib/email/delivery";
import { startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

// A production deployment with sign-up on and no email provider: read by env()'s first call.
process.env.AUTH_ENABLE_SIGNUP = "true";
(process.env as Record<string, string>).NODE_ENV = "production";
delete process.env.LOCAL_OUTBOX_ENABLED;

let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

describe("sign-up when this deployment cannot deliver credential mail", () => {
  it("refuses plainly before creating anyone, the same way for every address", async () => {
    expect(canDeliver("credential")).toBe(false);
    const email = uniqueEmail("nomail");
    const { data, error } = await server.anonClient().auth.signUp({ email, password: "a long enough passphrase" });
    expect(data.user).toBeNull();
    expect(error).toMatchObject({ status: 422, code: "email_provider_disabled" });
    expect(error!.message).toContain("Email is not configured");
    expect(await serviceDb().execute(sql`select 1 from auth.users where email = ${email}`)).toHaveLength(0);
  });
});
