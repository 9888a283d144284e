import { sql } from "drizzle-orm";
import { decodeJwt } from "jose";
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

describe("invitations", () => {
  it("invite → email → verifyOtp(invite) → set a password → sign in with it", async () => {
    const email = uniqueEmail("invitee");
    const admin = server.adminClient();
    const { data, error } = await admin.auth.admin.inviteUserByEmail(email, { data: { full_name: "Renée Ødegård" } });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { full_name: "Renée Ødegård" } });
    expect(data.user!.invited_at).toBeTruthy();
    expect(data.user!.email_confirmed_at).toBeUndefined();

    const mail = await mailTo(email);
    const link = readAuthEmail(mail);
    expect(link.link.origin).toBe(server.url);
    expect(link.link.pathname).toBe("/auth/confirm");
    expect(link.type).toBe("invite");
    expect(link.next).toBe("/auth/set-password");

    // Stored as a hash only.
    const stored = await serviceDb().execute(sql`select 1 from auth.one_time_tokens where token_hash = ${link.tokenHash}`);
    expect(stored).toHaveLength(0);

    const client = server.anonClient();
    const verified = await client.auth.verifyOtp({ token_hash: link.tokenHash, type: "invite" });
    expect(verified.error).toBeNull();
    expect(verified.data.user!.email_confirmed_at).toBeTruthy();
    expect(decodeJwt(verified.data.session!.access_token).amr).toEqual([{ method: "invite", timestamp: expect.any(Number) }]);

    expect((await client.auth.updateUser({ password: "my first real password" })).error).toBeNull();
    const signedIn = await server.anonClient().auth.signInWithPassword({ email, password: "my first real password" });
    expect(signedIn.error).toBeNull();
    expect(signedIn.data.user!.user_metadata.full_name).toBe("Renée Ødegård");
  });

  it("re-inviting an unconfirmed user reuses them and retires the first link; a confirmed user is email_exists", async () => {
    const email = uniqueEmail("reinvite");
    const admin = server.adminClient();
    const first = await admin.auth.admin.inviteUserByEmail(email);
    const firstLink = readAuthEmail(await mailTo(email));
    const second = await admin.auth.admin.inviteUserByEmail(email.toUpperCase());
    expect(second.data.user!.id).toBe(first.data.user!.id);
    const secondLink = readAuthEmail(await mailTo(email));
    expect(secondLink.tokenHash).not.toBe(firstLink.tokenHash);

    expect((await server.anonClient().auth.verifyOtp({ token_hash: firstLink.tokenHash, type: "invite" })).error?.code).toBe("otp_expired");
    expect((await server.anonClient().auth.verifyOtp({ token_hash: secondLink.tokenHash, type: "invite" })).error).toBeNull();

    const again = await admin.auth.admin.inviteUserByEmail(email);
    expect(again.error).toMatchObject({ status: 422, code: "email_exists" });
  });

  it("an invite link expires after 24 hours and cannot be used as a magic link", async () => {
    const email = uniqueEmail("stale-invite");
    await server.adminClient().auth.admin.inviteUserByEmail(email);
    const { tokenHash } = readAuthEmail(await mailTo(email));
    expect((await server.anonClient().auth.verifyOtp({ token_hash: tokenHash, type: "magiclink" })).error?.code).toBe("otp_expired");

    await serviceDb().execute(sql`
      update auth.one_time_tokens set expires_at = now() - interval '1 second'
      where token_hash = encode(sha256(convert_to(${tokenHash}, 'UTF8')), 'hex')`);
    const { error } = await server.anonClient().auth.verifyOtp({ token_hash: tokenHash, type: "invite" });
    expect(error).toMatchObject({ status: 403, code: "otp_expired", message: "Email link is invalid or has expired" });
  });
});

describe("magic links", () => {
  it("signInWithOtp → email with link and code → verifyOtp(token_hash) once, never twice", async () => {
    const { email, userId } = await createConfirmedUser(server, "magic");
    const client = server.anonClient();
    const sent = await client.auth.signInWithOtp({
      email,
      options: { shouldCreateUser: false, emailRedirectTo: `${server.url}/leads?view=mine` },
    });
    expect(sent.error).toBeNull();

    const mail = await mailTo(email);
    const { tokenHash, type, next, code } = readAuthEmail(mail);
    expect(type).toBe("magiclink");
    expect(next).toBe("/leads?view=mine");
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.html).toContain(code!);

    const first = await server.anonClient().auth.verifyOtp({ token_hash: tokenHash, type: "magiclink" });
    expect(first.error).toBeNull();
    expect(first.data.user!.id).toBe(userId);
    expect(decodeJwt(first.data.session!.access_token).amr).toEqual([{ method: "magiclink", timestamp: expect.any(Number) }]);

    const second = await server.anonClient().auth.verifyOtp({ token_hash: tokenHash, type: "magiclink" });
    expect(second.error).toMatchObject({ status: 403, code: "otp_expired" });
  });

  it("mails an unconfirmed user a 6-digit code that signs in and confirms", async () => {
    const email = uniqueEmail("otp-unconfirmed");
    const created = await server.adminClient().auth.admin.createUser({ email, user_metadata: { full_name: "Jérôme Lefèvre" } });
    expect(created.error).toBeNull();
    const sent = await server.anonClient().auth.signInWithOtp({ email });
    expect(sent.error).toBeNull();
    const { code, next } = readAuthEmail(await mailTo(email));
    expect(next).toBe("/");

    const wrong = await server.anonClient().auth.verifyOtp({ email, token: code === "000000" ? "111111" : "000000", type: "email" });
    expect(wrong.error?.code).toBe("otp_expired");
    const right = await server.anonClient().auth.verifyOtp({ email, token: code!, type: "email" });
    expect(right.error).toBeNull();
    expect(right.data.user).toMatchObject({ email, user_metadata: { full_name: "Jérôme Lefèvre" } });
    expect(right.data.user!.email_confirmed_at).toBeTruthy();
  });

  it("stops accepting codes after five wrong guesses", async () => {
    const { email } = await createConfirmedUser(server, "guesses");
    await server.anonClient().auth.signInWithOtp({ email });
    const { code } = readAuthEmail(await mailTo(email));
    const wrong = code === "123456" ? "654321" : "123456";
    for (let i = 0; i < 5; i++) await server.anonClient().auth.verifyOtp({ email, token: wrong, type: "email" });
    const { error } = await server.anonClient().auth.verifyOtp({ email, token: code!, type: "email" });
    expect(error?.code).toBe("otp_expired");
  });

  it("wrong codes, which anyone can send for an address, never cancel its emailed link", async () => {
    const { email, userId } = await createConfirmedUser(server, "guesses-link");
    await server.anonClient().auth.signInWithOtp({ email });
    const { code, tokenHash } = readAuthEmail(await mailTo(email));
    const wrong = code === "123456" ? "654321" : "123456";
    for (let i = 0; i < 6; i++) await server.anonClient().auth.verifyOtp({ email, token: wrong, type: "email" });
    const viaLink = await server.anonClient().auth.verifyOtp({ token_hash: tokenHash, type: "magiclink" });
    expect(viaLink.error).toBeNull();
    expect(viaLink.data.user!.id).toBe(userId);
  });

  it("with shouldCreateUser false, an unknown address is answered like a known one and nothing is sent", async () => {
    const email = uniqueEmail("unknown");
    const { error } = await server.anonClient().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    expect(error).toBeNull();
    expect(await countEmailsTo(email)).toBe(0);
  });

  it("sends one email per address per minute, answering a second request as the first", async () => {
    const { email } = await createConfirmedUser(server, "ratelimit");
    expect((await server.anonClient().auth.signInWithOtp({ email })).error).toBeNull();
    const again = await server.anonClient().auth.signInWithOtp({ email });
    expect(again.error).toBeNull();
    expect(await countEmailsTo(email)).toBe(1);
  });

  it("drops a cross-origin redirect_to", async () => {
    const { email } = await createConfirmedUser(server, "redirect");
    await server.anonClient().auth.signInWithOtp({ email, options: { emailRedirectTo: "https://evil.example/steal" } });
    expect(readAuthEmail(await mailTo(email)).next).toBe("/");
  });
});

describe("GET /verify (links of older templates)", () => {
  it("redirects with the session in the fragment, then with an error once used", async () => {
    const { email } = await createConfirmedUser(server, "getverify");
    await server.anonClient().auth.signInWithOtp({ email });
    const { tokenHash } = readAuthEmail(await mailTo(email));
    const url = `${server.url}/auth/v1/verify?token=${tokenHash}&type=magiclink&redirect_to=${encodeURIComponent(`${server.url}/leads`)}`;

    const ok = await fetch(url, { redirect: "manual" });
    expect(ok.status).toBe(303);
    const target = new URL(ok.headers.get("location")!);
    expect(`${target.origin}${target.pathname}`).toBe(`${server.url}/leads`);
    const fragment = new URLSearchParams(target.hash.slice(1));
    expect(fragment.get("token_type")).toBe("bearer");
    expect(decodeJwt(fragment.get("access_token")!).email).toBe(email);
    expect(fragment.get("refresh_token")).toBeTruthy();

    const used = await fetch(url, { redirect: "manual" });
    const error = new URLSearchParams(new URL(used.headers.get("location")!).hash.slice(1));
    expect(error.get("error")).toBe("access_denied");
    expect(error.get("error_code")).toBe("otp_expired");
  });

  it("never redirects tokens to another origin", async () => {
    const response = await fetch(`${server.url}/auth/v1/verify?token=nope&type=magiclink&redirect_to=https://evil.example/`, {
      redirect: "manual",
    });
    expect(new URL(response.headers.get("location")!).origin).toBe(server.url);
  });
});

describe("password recovery", () => {
  it("mails a recovery link that opens a session for setting a new password; unknown emails look the same", async () => {
    const { email } = await createConfirmedUser(server, "recover");
    expect((await server.anonClient().auth.resetPasswordForEmail(email)).error).toBeNull();
    const { tokenHash, type, next } = readAuthEmail(await mailTo(email));
    expect([type, next]).toEqual(["recovery", "/auth/set-password"]);
    const client = server.anonClient();
    expect((await client.auth.verifyOtp({ token_hash: tokenHash, type: "recovery" })).error).toBeNull();
    expect((await client.auth.updateUser({ password: "recovered passphrase" })).error).toBeNull();
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "recovered passphrase" })).error).toBeNull();

    expect((await server.anonClient().auth.resetPasswordForEmail(uniqueEmail("nobody"))).error).toBeNull();
  });
});

describe("email content", () => {
  it("goes through the local outbox with the link HTML-escaped in the HTML part", async () => {
    const { email } = await createConfirmedUser(server, "content");
    await server.anonClient().auth.signInWithOtp({ email });
    const mail = await mailTo(email);
    const { link } = readAuthEmail(mail);
    expect(mail.subject).toContain("sign-in link");
    expect(mail.html).toContain(link.toString().replaceAll("&", "&amp;"));
    expect(env().APP_URL).toBe(server.url);
  });
});
