import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import {
  countEmailsTo,
  createConfirmedUser,
  latestEmailTo,
  readAuthEmail,
  startAuthTestServer,
  uniqueEmail,
  type AuthTestServer,
} from "./testing";

// Read by env() on its first call, which startAuthTestServer makes.
process.env.AUTH_ENABLE_SIGNUP = "true";

let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

async function mailTo(address: string) {
  const email = await latestEmailTo(address);
  if (!email) throw new Error(`no email to ${address} in the outbox`);
  return email;
}

/** As if the last confirmation email had gone out a while ago, past the one-a-minute limit. */
async function ageConfirmationEmails(email: string) {
  await serviceDb().execute(sql`
    update auth.one_time_tokens set created_at = now() - interval '2 minutes'
    where user_id = (select id from auth.users where email = ${email}) and token_type = 'signup'`);
}

async function userRow(email: string) {
  const rows = await serviceDb().execute<{ id: string; confirmed: boolean }>(
    sql`select id, email_confirmed_at is not null as confirmed from auth.users where email = ${email}`,
  );
  return rows[0];
}

describe("POST /signup with AUTH_ENABLE_SIGNUP on", () => {
  it("creates an unconfirmed user with the data as user_metadata, answers no session, and mails a link and a code", async () => {
    expect(env().AUTH_ENABLE_SIGNUP).toBe(true);
    const email = uniqueEmail("signup");
    const { data, error } = await server.anonClient().auth.signUp({
      email: email.toUpperCase(),
      password: "a long enough passphrase",
      options: { data: { full_name: "Ana Pérez" }, emailRedirectTo: `${server.url}/welcome` },
    });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { full_name: "Ana Pérez" }, app_metadata: { provider: "email" } });
    expect(data.user!.email_confirmed_at).toBeUndefined();
    expect(data.user!.identities).toHaveLength(1);

    const mail = await mailTo(email);
    expect(mail.subject).toContain("Confirm");
    const { type, next, code } = readAuthEmail(mail);
    expect([type, next]).toEqual(["signup", "/welcome"]);
    expect(code).toMatch(/^\d{6}$/);

    const tooEarly = await server.anonClient().auth.signInWithPassword({ email, password: "a long enough passphrase" });
    expect(tooEarly.error?.code).toBe("email_not_confirmed");
  });

  it("the emailed link (type signup) confirms the address and signs in; the password then works", async () => {
    const email = uniqueEmail("signup-link");
    await server.anonClient().auth.signUp({ email, password: "a long enough passphrase" });
    const { tokenHash } = readAuthEmail(await mailTo(email));
    const verified = await server.anonClient().auth.verifyOtp({ token_hash: tokenHash, type: "signup" });
    expect(verified.error).toBeNull();
    expect(verified.data.session).not.toBeNull();
    expect(verified.data.user!.email_confirmed_at).toBeTruthy();
    const signedIn = await server.anonClient().auth.signInWithPassword({ email, password: "a long enough passphrase" });
    expect(signedIn.error).toBeNull();
  });

  it("the emailed code verifies with type email", async () => {
    const email = uniqueEmail("signup-code");
    await server.anonClient().auth.signUp({ email, password: "a long enough passphrase" });
    const { code } = readAuthEmail(await mailTo(email));
    const verified = await server.anonClient().auth.verifyOtp({ email, token: code!, type: "email" });
    expect(verified.error).toBeNull();
    expect(verified.data.user!.email_confirmed_at).toBeTruthy();
  });

  it("answers a registered address exactly like a new one, sends it nothing and changes nothing", async () => {
    const { email, password, userId } = await createConfirmedUser(server, "already");
    const before = await countEmailsTo(email);
    const { data, error } = await server.anonClient().auth.signUp({ email, password: "another passphrase", options: { data: { x: 1 } } });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user!.id).not.toBe(userId);
    expect(data.user).toMatchObject({ email, user_metadata: { x: 1 }, role: "authenticated" });
    expect(data.user!.identities).toHaveLength(1);

    const fresh = await server.anonClient().auth.signUp({ email: uniqueEmail("fresh"), password: "another passphrase" });
    expect(Object.keys(data.user!).sort()).toEqual(Object.keys(fresh.data.user!).sort());

    expect(await countEmailsTo(email)).toBe(before);
    expect((await server.anonClient().auth.signInWithPassword({ email, password })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "another passphrase" })).error?.code).toBe(
      "invalid_credentials",
    );
  });

  it("a repeated sign-up of an unconfirmed address never reveals its id, and its link confirms only its own password", async () => {
    const email = uniqueEmail("twice");
    const first = await server.anonClient().auth.signUp({ email, password: "stranger's passphrase" });
    const firstLink = readAuthEmail(await mailTo(email));
    await ageConfirmationEmails(email);

    const second = await server.anonClient().auth.signUp({ email, password: "owner's passphrase" });
    expect(second.error).toBeNull();
    expect(second.data.user!.id).not.toBe(first.data.user!.id);
    const secondLink = readAuthEmail(await mailTo(email));
    expect(secondLink.tokenHash).not.toBe(firstLink.tokenHash);

    // The first link went with the first password: it no longer confirms anything.
    expect((await server.anonClient().auth.verifyOtp({ token_hash: firstLink.tokenHash, type: "signup" })).error?.code).toBe("otp_expired");
    expect((await server.anonClient().auth.verifyOtp({ token_hash: secondLink.tokenHash, type: "signup" })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "owner's passphrase" })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "stranger's passphrase" })).error?.code).toBe(
      "invalid_credentials",
    );
  });

  it("within a minute, a repeated sign-up sends nothing and keeps the first password, with the same answer", async () => {
    const email = uniqueEmail("quick");
    await server.anonClient().auth.signUp({ email, password: "first passphrase" });
    const again = await server.anonClient().auth.signUp({ email, password: "second passphrase" });
    expect(again.error).toBeNull();
    expect(await countEmailsTo(email)).toBe(1);
    const { tokenHash } = readAuthEmail(await mailTo(email));
    expect((await server.anonClient().auth.verifyOtp({ token_hash: tokenHash, type: "signup" })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "first passphrase" })).error).toBeNull();
  });

  it("a magic link to an address someone else signed up drops their password", async () => {
    const email = uniqueEmail("presignup");
    await server.anonClient().auth.signUp({ email, password: "stranger's passphrase" });
    await server.anonClient().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    const { tokenHash, type } = readAuthEmail(await mailTo(email));
    expect(type).toBe("magiclink");
    expect((await server.anonClient().auth.verifyOtp({ token_hash: tokenHash, type: "magiclink" })).error).toBeNull();
    expect((await userRow(email))!.confirmed).toBe(true);
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "stranger's passphrase" })).error?.code).toBe(
      "invalid_credentials",
    );
  });

  it("answers concurrent sign-ups of one new address alike, creating one user and sending one email", async () => {
    const email = uniqueEmail("race");
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => server.anonClient().auth.signUp({ email, password: "a long enough passphrase" })),
    );
    for (const { error, data } of answers) {
      expect(error).toBeNull();
      expect(data.user?.email).toBe(email);
    }
    const rows = await serviceDb().execute(sql`select 1 from auth.users where email = ${email}`);
    expect(rows).toHaveLength(1);
    expect(await countEmailsTo(email)).toBe(1);
  });

  it("refuses what GoTrue refuses: no password, a weak one, a bad address, a phone, and no address at all", async () => {
    const client = server.anonClient();
    const post = (body: object) =>
      fetch(`${server.url}/auth/v1/signup`, {
        method: "POST",
        headers: { "content-type": "application/json", apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, ...(await r.json()) }));
    expect(await post({ email: uniqueEmail("nopw") })).toMatchObject({
      status: 400,
      error_code: "validation_failed",
      msg: "Signup requires a valid password",
    });
    expect((await client.auth.signUp({ email: uniqueEmail("weak"), password: "short" })).error).toMatchObject({
      status: 422,
      code: "weak_password",
    });
    expect((await client.auth.signUp({ email: "xx:;x@x.x", password: "long enough passphrase" })).error).toMatchObject({
      status: 400,
      message: "Unable to validate email address: invalid format",
    });
    expect((await client.auth.signUp({ phone: "+15555550100", password: "long enough passphrase" })).error).toMatchObject({
      status: 400,
      code: "phone_provider_disabled",
      message: "Phone signups are disabled",
    });
    expect(await post({ password: "long enough passphrase" })).toMatchObject({ status: 422, error_code: "anonymous_provider_disabled" });
  });

  it("GET /settings says sign-up is on and confirmation is required", async () => {
    const settings = await (
      await fetch(`${server.url}/auth/v1/settings`, { headers: { apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY } })
    ).json();
    expect(settings).toMatchObject({ disable_signup: false, mailer_autoconfirm: false });
  });
});

describe("POST /resend (type signup)", () => {
  it("mails a new confirmation to an unconfirmed address, and the same empty answer to every other address", async () => {
    const email = uniqueEmail("resend");
    await server.anonClient().auth.signUp({ email, password: "a long enough passphrase" });
    const firstLink = readAuthEmail(await mailTo(email));
    await ageConfirmationEmails(email);
    expect((await server.anonClient().auth.resend({ type: "signup", email })).error).toBeNull();
    expect(await countEmailsTo(email)).toBe(2);
    const secondLink = readAuthEmail(await mailTo(email));
    expect(secondLink.tokenHash).not.toBe(firstLink.tokenHash);
    expect((await server.anonClient().auth.verifyOtp({ token_hash: secondLink.tokenHash, type: "signup" })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "a long enough passphrase" })).error).toBeNull();

    const confirmed = await createConfirmedUser(server, "resend-confirmed");
    for (const address of [confirmed.email, uniqueEmail("resend-unknown"), email]) {
      const { data, error } = await server.anonClient().auth.resend({ type: "signup", email: address });
      expect(error).toBeNull();
      expect(data).toEqual({ user: null, session: null });
    }
    expect(await countEmailsTo(confirmed.email)).toBe(0);
  });

  it("refuses phone types as GoTrue does with phone off", async () => {
    const { error } = await server.anonClient().auth.resend({ type: "sms", phone: "+15555550100" });
    expect(error).toMatchObject({ status: 400, code: "phone_provider_disabled" });
  });
});
