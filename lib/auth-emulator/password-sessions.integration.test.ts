import { isAuthSessionMissingError } from "@supabase/supabase-js";
import { sql } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { signAccessToken } from "./tokens";
import { createConfirmedUser, startAuthTestServer, type AuthTestServer } from "./testing";

let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

async function signIn(email: string, password: string) {
  const { data, error } = await server.anonClient().auth.signInWithPassword({ email, password });
  if (error || !data.session) throw new Error(`sign-in failed: ${error?.code}`);
  return data.session;
}

function refresh(refreshToken: string) {
  return server.anonClient().auth.refreshSession({ refresh_token: refreshToken });
}

/** Moves a used refresh token's revocation out of the reuse window, as if seconds had passed. */
async function ageRevocation(refreshToken: string) {
  await serviceDb().execute(sql`
    update auth.refresh_tokens set updated_at = now() - interval '1 minute'
    where token_hash = encode(sha256(convert_to(${refreshToken}, 'UTF8')), 'hex')`);
}

describe("password sign-in", () => {
  it("returns a session with Supabase's claims and the user", async () => {
    const { email, password, userId } = await createConfirmedUser(server, "signin");
    const { data, error } = await server.anonClient().auth.signInWithPassword({ email: email.toUpperCase(), password });
    expect(error).toBeNull();
    const session = data.session!;
    expect(session.token_type).toBe("bearer");
    expect(session.expires_in).toBe(3600);
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(data.user).toMatchObject({ id: userId, email, aud: "authenticated", role: "authenticated" });
    expect(data.user!.user_metadata.full_name).toBe("Zoë Müller-Ångström");
    expect(data.user!.last_sign_in_at).toBeTruthy();

    const header = decodeProtectedHeader(session.access_token);
    expect(header).toMatchObject({ alg: "ES256", kid: JSON.parse(env().LOCAL_AUTH_SIGNING_JWK!).kid });
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      iss: `${server.url}/auth/v1`,
      sub: userId,
      aud: "authenticated",
      email,
      phone: "",
      role: "authenticated",
      aal: "aal1",
      is_anonymous: false,
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: { full_name: "Zoë Müller-Ångström" },
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.amr).toEqual([{ method: "password", timestamp: expect.any(Number) }]);
    expect(claims.session_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rejects a wrong password and an unknown email alike", async () => {
    const { email } = await createConfirmedUser(server, "wrongpw");
    for (const credentials of [
      { email, password: "not the password" },
      { email: `nobody-${email}`, password: "whatever it is" },
    ]) {
      const { data, error } = await server.anonClient().auth.signInWithPassword(credentials);
      expect(data.session).toBeNull();
      expect(error).toMatchObject({ status: 400, code: "invalid_credentials", message: "Invalid login credentials" });
    }
  });

  it("rejects a user who has no password yet, an unconfirmed user and a banned user", async () => {
    const admin = server.adminClient();
    const { data: invited } = await admin.auth.admin.createUser({ email: `nopw-${crypto.randomUUID()}@example.com`, email_confirm: true });
    const noPassword = await server.anonClient().auth.signInWithPassword({ email: invited.user!.email!, password: "anything at all" });
    expect(noPassword.error?.code).toBe("invalid_credentials");

    const unconfirmedEmail = `unconfirmed-${crypto.randomUUID()}@example.com`;
    await admin.auth.admin.createUser({ email: unconfirmedEmail, password: "long enough password" });
    const unconfirmed = await server.anonClient().auth.signInWithPassword({ email: unconfirmedEmail, password: "long enough password" });
    expect(unconfirmed.error?.code).toBe("email_not_confirmed");

    const banned = await createConfirmedUser(server, "banned");
    const session = await signIn(banned.email, banned.password);
    const ban = await admin.auth.admin.updateUserById(banned.userId, { ban_duration: "24h" });
    expect(ban.error).toBeNull();
    expect(ban.data.user?.banned_until).toBeTruthy();
    const refused = await server.anonClient().auth.signInWithPassword({ email: banned.email, password: banned.password });
    expect(refused.error?.code).toBe("user_banned");
    expect((await refresh(session.refresh_token)).error?.code).toBe("refresh_token_not_found");

    await admin.auth.admin.updateUserById(banned.userId, { ban_duration: "none" });
    expect((await server.anonClient().auth.signInWithPassword({ email: banned.email, password: banned.password })).error).toBeNull();
  });
});

describe("refresh tokens", () => {
  it("rotates: a new token each time, and the used one fails once the reuse window has passed", async () => {
    const { email, password } = await createConfirmedUser(server, "rotate");
    const first = await signIn(email, password);

    const second = await refresh(first.refresh_token);
    expect(second.error).toBeNull();
    expect(second.data.session!.refresh_token).not.toBe(first.refresh_token);
    expect(second.data.session!.access_token).not.toBe(first.access_token);
    expect(decodeJwt(second.data.session!.access_token).session_id).toBe(decodeJwt(first.access_token).session_id);

    const third = await refresh(second.data.session!.refresh_token);
    expect(third.error).toBeNull();

    await ageRevocation(first.refresh_token);
    const replay = await refresh(first.refresh_token);
    expect(replay.error).toMatchObject({ status: 400, code: "refresh_token_already_used", message: "Invalid Refresh Token: Already Used" });
  });

  it("gives a concurrent second refresh of the same token the same child (SSR reuse window)", async () => {
    const { email, password } = await createConfirmedUser(server, "concurrent");
    const first = await signIn(email, password);
    const [a, b] = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    expect(a.data.session!.refresh_token).toBe(b.data.session!.refresh_token);

    // Later still inside the window, after the child itself was rotated: the live grandchild.
    const grandchild = await refresh(a.data.session!.refresh_token);
    const late = await refresh(first.refresh_token);
    expect(late.data.session!.refresh_token).toBe(grandchild.data.session!.refresh_token);
  });

  it("revokes the whole session when a used token is replayed after the window", async () => {
    const { email, password } = await createConfirmedUser(server, "replay");
    const first = await signIn(email, password);
    const second = (await refresh(first.refresh_token)).data.session!;

    await ageRevocation(first.refresh_token);
    expect((await refresh(first.refresh_token)).error?.code).toBe("refresh_token_already_used");

    expect((await refresh(second.refresh_token)).error?.code).toBe("refresh_token_already_used");
    const { error } = await server.anonClient().auth.getUser(second.access_token);
    expect(isAuthSessionMissingError(error)).toBe(true);
  });

  it("answers refresh_token_not_found for a token it never issued", async () => {
    const { error } = await refresh("never-issued-token");
    expect(error).toMatchObject({ status: 400, code: "refresh_token_not_found" });
  });
});

describe("access tokens", () => {
  it("getUser returns the user; sign-out makes the token useless", async () => {
    const { email, password, userId } = await createConfirmedUser(server, "signout");
    const client = server.anonClient();
    const { data } = await client.auth.signInWithPassword({ email, password });
    const token = data.session!.access_token;

    const user = await server.anonClient().auth.getUser(token);
    expect(user.data.user).toMatchObject({ id: userId, email });

    expect((await client.auth.signOut()).error).toBeNull();
    const after = await server.anonClient().auth.getUser(token);
    expect(after.data.user).toBeNull();
    expect(isAuthSessionMissingError(after.error)).toBe(true);
    expect((await refresh(data.session!.refresh_token)).error?.code).toBe("refresh_token_not_found");
  });

  it("signs out only the other sessions with scope=others, and only this one with scope=local", async () => {
    const { email, password } = await createConfirmedUser(server, "scopes");
    const keep = server.anonClient();
    const keepSession = (await keep.auth.signInWithPassword({ email, password })).data.session!;
    const other = await signIn(email, password);

    expect((await keep.auth.signOut({ scope: "others" })).error).toBeNull();
    expect((await server.anonClient().auth.getUser(keepSession.access_token)).error).toBeNull();
    expect(isAuthSessionMissingError((await server.anonClient().auth.getUser(other.access_token)).error)).toBe(true);

    const third = await signIn(email, password);
    expect((await keep.auth.signOut({ scope: "local" })).error).toBeNull();
    expect(isAuthSessionMissingError((await server.anonClient().auth.getUser(keepSession.access_token)).error)).toBe(true);
    expect((await server.anonClient().auth.getUser(third.access_token)).error).toBeNull();
  });

  it("rejects an expired access token with bad_jwt", async () => {
    const { email, password, userId } = await createConfirmedUser(server, "expired");
    const session = await signIn(email, password);
    const claims = decodeJwt(session.access_token);
    const expired = await signAccessToken(
      { userId, email, appMetadata: {}, userMetadata: {} },
      { id: String(claims.session_id), aal: "aal1", amr: [] },
      { now: new Date(Date.now() - 2 * 3600_000) },
    );
    const { error } = await server.anonClient().auth.getUser(expired.token);
    expect(error).toMatchObject({ status: 403, code: "bad_jwt" });
    expect(error!.message).toContain("token is expired");

    const claimsCheck = await server.anonClient().auth.getClaims(expired.token);
    expect(claimsCheck.data).toBeNull();
    expect(claimsCheck.error).toBeTruthy();
  });

  it("never takes the anon or service-role key as a user token", async () => {
    for (const key of [env().NEXT_PUBLIC_SUPABASE_ANON_KEY, env().SUPABASE_SERVICE_ROLE_KEY]) {
      const { error } = await server.anonClient().auth.getUser(key);
      expect(error).toMatchObject({ status: 403, code: "bad_jwt" });
    }
  });

  it("getClaims() verifies locally against the served JWKS", async () => {
    const { email, password, userId } = await createConfirmedUser(server, "claims");
    const session = await signIn(email, password);

    const jwks = await (await fetch(`${server.url}/auth/v1/.well-known/jwks.json`)).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
    expect(jwks.keys[0]).not.toHaveProperty("d");

    const client = server.anonClient();
    const { data, error } = await client.auth.getClaims(session.access_token);
    expect(error).toBeNull();
    expect(data!.claims).toMatchObject({ sub: userId, email, role: "authenticated" });

    // Same kid, another key: the signature check has to fail.
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const forged = await new SignJWT({ ...decodeJwt(session.access_token) })
      .setProtectedHeader({ alg: "ES256", kid: jwks.keys[0].kid, typ: "JWT" })
      .sign(privateKey);
    const forgedCheck = await client.auth.getClaims(forged);
    expect(forgedCheck.error?.message).toContain("Invalid JWT signature");
    expect((await server.anonClient().auth.getUser(forged)).error?.code).toBe("bad_jwt");
    expect(await exportJWK(privateKey)).toHaveProperty("d");
  });
});

describe("updating the signed-in user", () => {
  it("merges user_metadata, changes the password and refuses an email change", async () => {
    const { email, password } = await createConfirmedUser(server, "update");
    const client = server.anonClient();
    const other = await signIn(email, password);
    await client.auth.signInWithPassword({ email, password });

    const merged = await client.auth.updateUser({ data: { title: "Directrice commerciale", full_name: null } });
    expect(merged.error).toBeNull();
    expect(merged.data.user!.user_metadata).toEqual({ title: "Directrice commerciale" });

    const weak = await client.auth.updateUser({ password: "short", current_password: password });
    expect(weak.error).toMatchObject({ status: 422, code: "weak_password" });
    const same = await client.auth.updateUser({ password, current_password: password });
    expect(same.error?.code).toBe("same_password");

    expect((await client.auth.updateUser({ password: "a brand new passphrase", current_password: password })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "a brand new passphrase" })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password })).error?.code).toBe("invalid_credentials");
    // A new password ends the user's other sessions, as GoTrue does.
    expect(isAuthSessionMissingError((await server.anonClient().auth.getUser(other.access_token)).error)).toBe(true);

    const emailChange = await client.auth.updateUser({ email: `new-${email}` });
    expect(emailChange.error).toMatchObject({ status: 422, code: "email_change_not_supported" });
  });
});

describe("changing a password (GoTrue's secure password change)", () => {
  it("needs the current password in a session signed in with a password", async () => {
    const { email, password } = await createConfirmedUser(server, "securepw");
    const client = server.anonClient();
    await client.auth.signInWithPassword({ email, password });

    const missing = await client.auth.updateUser({ password: "a stolen session's choice" });
    expect(missing.error).toMatchObject({ status: 400, code: "current_password_required" });
    const wrong = await client.auth.updateUser({ password: "a stolen session's choice", current_password: "a guess" });
    expect(wrong.error).toMatchObject({ status: 400, code: "current_password_invalid" });
    expect((await server.anonClient().auth.signInWithPassword({ email, password })).error).toBeNull();

    const right = await client.auth.updateUser({ password: "the owner's new passphrase", current_password: password });
    expect(right.error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "the owner's new passphrase" })).error).toBeNull();
  });

  it("counts wrong current passwords as sign-in failures: a stolen session gets no more guesses than a sign-in would", async () => {
    const { email, password } = await createConfirmedUser(server, "guesspw");
    const client = server.anonClient();
    await client.auth.signInWithPassword({ email, password });
    for (let i = 0; i < 10; i++) {
      const wrong = await client.auth.updateUser({ password: "a stolen session's choice", current_password: `guess ${i}` });
      expect(wrong.error).toMatchObject({ status: 400, code: "current_password_invalid" });
    }
    const locked = await client.auth.updateUser({ password: "a stolen session's choice", current_password: password });
    expect(locked.error).toMatchObject({ status: 429 });
    expect((await server.anonClient().auth.signInWithPassword({ email, password })).error).toMatchObject({ status: 429 });
  });

  it("does not need it in a session opened from an emailed link, as a reset is", async () => {
    const { email, password } = await createConfirmedUser(server, "linkpw");
    const issued = await server.adminClient().auth.admin.generateLink({ type: "magiclink", email });
    expect(issued.error).toBeNull();
    const client = server.anonClient();
    const verified = await client.auth.verifyOtp({ token_hash: issued.data.properties!.hashed_token, type: "magiclink" });
    expect(verified.error).toBeNull();
    expect((await client.auth.updateUser({ password: "set from a link" })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password })).error?.code).toBe("invalid_credentials");
  });
});

describe("requests", () => {
  it("require an apikey", async () => {
    const response = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@example.com", password: "x" }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 401, error_code: "no_authorization" });
  });

  it("answer a malformed body with validation_failed naming the field", async () => {
    const post = (body: string) =>
      fetch(`${server.url}/auth/v1/token?grant_type=password`, {
        method: "POST",
        headers: { "content-type": "application/json", apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY },
        body,
      });
    const broken = await post("{not json");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 400, error_code: "validation_failed" });

    const missing = await post(JSON.stringify({ email: "someone@example.com" }));
    expect(missing.status).toBe(400);
    const body = await missing.json();
    expect(body.error_code).toBe("validation_failed");
    expect(body.msg).toContain("password");

    const viaSdk = await server.anonClient().auth.verifyOtp({ type: "email", token_hash: "" });
    expect(viaSdk.error).toMatchObject({ status: 400, code: "validation_failed" });
  });

  it("answer unknown routes with 404 and health and settings without fuss", async () => {
    const headers = { apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY };
    expect((await fetch(`${server.url}/auth/v1/nope`, { headers })).status).toBe(404);
    expect((await fetch(`${server.url}/auth/v1/health`)).status).toBe(200);
    const settings = await (await fetch(`${server.url}/auth/v1/settings`, { headers })).json();
    expect(settings.external.email).toBe(true);
  });
});
