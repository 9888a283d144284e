import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { countEmailsTo, createConfirmedUser, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

// The default: AUTH_ENABLE_SIGNUP unset means sign-up is off.
delete process.env.AUTH_ENABLE_SIGNUP;

let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

const anonHeaders = () => ({ "content-type": "application/json", apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY });

describe("with AUTH_ENABLE_SIGNUP off (the default)", () => {
  // Also the port of auth-js's docker test "User cannot sign up when signups are disabled".
  it("refuses every sign-up with GoTrue's signup_disabled, creating and sending nothing", async () => {
    expect(env().AUTH_ENABLE_SIGNUP).toBe(false);
    const email = uniqueEmail("closed");
    const { data, error } = await server.anonClient().auth.signUp({ email, password: "a long enough passphrase" });
    expect(data.user).toBeNull();
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ status: 422, code: "signup_disabled", message: "Signups not allowed for this instance" });
    const rows = await serviceDb().execute(sql`select 1 from auth.users where email = ${email}`);
    expect(rows).toHaveLength(0);
    expect(await countEmailsTo(email)).toBe(0);
  });

  it("answers a registered address the same way", async () => {
    const { email, password } = await createConfirmedUser(server, "closed-known");
    const { error } = await server.anonClient().auth.signUp({ email, password });
    expect(error).toMatchObject({ status: 422, code: "signup_disabled" });
  });

  it("GET /settings tells the truth: sign-up off, confirmation on, only email", async () => {
    const settings = await (await fetch(`${server.url}/auth/v1/settings`, { headers: anonHeaders() })).json();
    expect(settings).toMatchObject({
      disable_signup: true,
      mailer_autoconfirm: false,
      phone_autoconfirm: false,
      saml_enabled: false,
      sms_provider: "",
    });
    const { email, ...others } = settings.external as Record<string, boolean>;
    expect(email).toBe(true);
    expect(Object.keys(others)).toEqual(expect.arrayContaining(["phone", "anonymous_users", "google", "github", "apple", "azure"]));
    expect(Object.values(others).every((enabled) => enabled === false)).toBe(true);
  });
});

describe("features this server leaves off answer GoTrue's refusals, not 404", () => {
  it("anonymous sign-in", async () => {
    const { data, error } = await server.anonClient().auth.signInAnonymously();
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ status: 422, code: "anonymous_provider_disabled", message: "Anonymous sign-ins are disabled" });
  });

  it("OAuth providers, at the URL signInWithOAuth sends the browser to", async () => {
    const { data } = await server.anonClient().auth.signInWithOAuth({ provider: "google", options: { skipBrowserRedirect: true } });
    const response = await fetch(data.url!, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error_code: "validation_failed", msg: "Unsupported provider: provider is not enabled" });
    const unknown = await fetch(`${server.url}/auth/v1/authorize?provider=nope`);
    expect((await unknown.json()).msg).toBe("Unsupported provider: Provider nope could not be found");
  });

  it("SSO", async () => {
    const { data, error } = await server.anonClient().auth.signInWithSSO({ domain: "example.com" });
    expect(data).toBeNull();
    expect(error).toMatchObject({ status: 404, code: "saml_provider_disabled", message: "SAML 2.0 is disabled" });
  });

  it("linking and unlinking identities", async () => {
    const { email, password } = await createConfirmedUser(server, "linking");
    const client = server.anonClient();
    await client.auth.signInWithPassword({ email, password });
    const linked = await client.auth.linkIdentity({ provider: "github", options: { skipBrowserRedirect: true } });
    expect(linked.error).toMatchObject({ status: 404, code: "manual_linking_disabled", message: "Manual linking is disabled" });
    const { data } = await client.auth.getUserIdentities();
    const unlinked = await client.auth.unlinkIdentity(data!.identities[0]!);
    expect(unlinked.error).toMatchObject({ status: 404, code: "manual_linking_disabled" });
  });

  it("MFA enrolment, and challenges of factors that cannot exist", async () => {
    const { email, password } = await createConfirmedUser(server, "mfa");
    const client = server.anonClient();
    await client.auth.signInWithPassword({ email, password });
    const enrolled = await client.auth.mfa.enroll({ factorType: "totp" });
    expect(enrolled.error).toMatchObject({ status: 422, code: "mfa_totp_enroll_not_enabled" });
    const challenged = await client.auth.mfa.challenge({ factorId: crypto.randomUUID() });
    expect(challenged.error).toMatchObject({ status: 404, code: "mfa_factor_not_found" });
  });
});
