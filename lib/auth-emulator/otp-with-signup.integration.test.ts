import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { countEmailsTo, latestEmailTo, readAuthEmail, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

// Sign-up on (AUTH_ENABLE_SIGNUP), read by env()'s first call.
process.env.AUTH_ENABLE_SIGNUP = "true";

let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

describe("POST /otp with sign-up on", () => {
  it("creates an unconfirmed user, and the 6-digit code signs in and confirms", async () => {
    const email = uniqueEmail("otp-signup");
    const sent = await server.anonClient().auth.signInWithOtp({ email, options: { data: { full_name: "Jérôme Lefèvre" } } });
    expect(sent.error).toBeNull();
    const { code } = readAuthEmail((await latestEmailTo(email))!);
    const right = await server.anonClient().auth.verifyOtp({ email, token: code!, type: "email" });
    expect(right.error).toBeNull();
    expect(right.data.user).toMatchObject({ email, user_metadata: { full_name: "Jérôme Lefèvre" } });
    expect(right.data.user!.email_confirmed_at).toBeTruthy();
  });

  it("still creates nobody when the client says create_user: false", async () => {
    const email = uniqueEmail("otp-no-create");
    const sent = await server.anonClient().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    expect(sent.error).toBeNull();
    expect(await countEmailsTo(email)).toBe(0);
    expect(await serviceDb().execute(sql`select 1 from auth.users where lower(email) = ${email}`)).toHaveLength(0);
  });
});
