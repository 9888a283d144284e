import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countEmailsTo, createConfirmedUser, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

describe("POST /admin/generate_link", () => {
  it("signup: creates the unconfirmed user with its data and answers GoTrue's properties, sending nothing", async () => {
    const email = uniqueEmail("gl-signup");
    const redirectTo = `${server.url}/welcome`;
    const { data, error } = await server.adminClient().auth.admin.generateLink({
      type: "signup",
      email,
      password: "a long enough passphrase",
      options: { data: { status: "alpha" }, redirectTo },
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { status: "alpha" } });
    expect(data.user!.email_confirmed_at).toBeUndefined();
    const { action_link, email_otp, hashed_token, redirect_to, verification_type } = data.properties!;
    expect(verification_type).toBe("signup");
    expect(redirect_to).toBe(redirectTo);
    expect(email_otp).toMatch(/^\d{6}$/);
    const link = new URL(action_link);
    expect(`${link.origin}${link.pathname}`).toBe(`${server.url}/auth/v1/verify`);
    expect(Object.fromEntries(link.searchParams)).toEqual({ token: hashed_token, type: "signup", redirect_to: redirectTo });
    expect(await countEmailsTo(email)).toBe(0);

    const verified = await server.anonClient().auth.verifyOtp({ token_hash: hashed_token, type: "signup" });
    expect(verified.error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "a long enough passphrase" })).error).toBeNull();
  });

  it("the action_link signs in through GET /verify, redirecting with the session", async () => {
    const { email, userId } = await createConfirmedUser(server, "gl-magic");
    const { data } = await server.adminClient().auth.admin.generateLink({ type: "magiclink", email });
    expect(data.properties!.verification_type).toBe("magiclink");
    expect(data.properties!.redirect_to).toBe(`${server.url}/`);
    const response = await fetch(data.properties!.action_link, { redirect: "manual" });
    expect(response.status).toBe(303);
    const fragment = new URLSearchParams(new URL(response.headers.get("location")!).hash.slice(1));
    expect(decodeJwt(fragment.get("access_token")!).sub).toBe(userId);
  });

  it("magiclink for a new address signs it up, as GoTrue does; the code works too", async () => {
    const email = uniqueEmail("gl-magic-new");
    const { data, error } = await server.adminClient().auth.admin.generateLink({ type: "magiclink", email });
    expect(error).toBeNull();
    expect(data.properties!.verification_type).toBe("signup");
    const verified = await server.anonClient().auth.verifyOtp({ email, token: data.properties!.email_otp, type: "email" });
    expect(verified.error).toBeNull();
    expect(verified.data.user!.id).toBe(data.user!.id);
  });

  it("invite: an invited user whose link opens a session", async () => {
    const email = uniqueEmail("gl-invite");
    const { data, error } = await server.adminClient().auth.admin.generateLink({ type: "invite", email, options: { data: { team: "a" } } });
    expect(error).toBeNull();
    expect(data.user!.invited_at).toBeTruthy();
    expect(data.properties!.verification_type).toBe("invite");
    const verified = await server.anonClient().auth.verifyOtp({ token_hash: data.properties!.hashed_token, type: "invite" });
    expect(verified.error).toBeNull();
    expect(verified.data.user!.user_metadata).toMatchObject({ team: "a" });
  });

  it("recovery: for a known address only", async () => {
    const { email, userId } = await createConfirmedUser(server, "gl-recovery");
    const { data, error } = await server.adminClient().auth.admin.generateLink({ type: "recovery", email });
    expect(error).toBeNull();
    const verified = await server.anonClient().auth.verifyOtp({ token_hash: data.properties!.hashed_token, type: "recovery" });
    expect(verified.data.user!.id).toBe(userId);

    const unknown = await server.adminClient().auth.admin.generateLink({ type: "recovery", email: uniqueEmail("gl-nobody") });
    expect(unknown.error).toMatchObject({ status: 404, code: "user_not_found", message: "User with this email not found" });
  });

  it("refuses what GoTrue refuses: a bad address, a confirmed address for signup or invite, an unknown type", async () => {
    const admin = server.adminClient().auth.admin;
    const bad = await admin.generateLink({ type: "signup", email: "xx:;x@x.x", password: "password123" });
    expect(bad.error?.message).toBe("Unable to validate email address: invalid format");
    expect(bad.data).toEqual({ properties: null, user: null });

    const { email } = await createConfirmedUser(server, "gl-taken");
    expect((await admin.generateLink({ type: "signup", email, password: "password123" })).error).toMatchObject({
      status: 422,
      code: "email_exists",
    });
    expect((await admin.generateLink({ type: "invite", email })).error).toMatchObject({ status: 422, code: "email_exists" });
    expect((await admin.generateLink({ type: "signup", email: uniqueEmail("gl-nopw") } as never)).error?.message).toBe(
      "Signup requires a valid password",
    );
    expect((await admin.generateLink({ type: "bogus", email } as never)).error).toMatchObject({ status: 400, code: "validation_failed" });
  });

  it("is for the service role only", async () => {
    const { data, error } = await server.anonClient().auth.admin.generateLink({ type: "magiclink", email: uniqueEmail("gl-anon") });
    expect(data.properties).toBeNull();
    expect(error).toMatchObject({ status: 403, code: "not_admin" });
  });
});
