import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { issueOneTimeToken } from "./one-time-tokens";
import { recordAuthEmail, sendDueAuthEmails } from "./pending-emails";
import { countEmailsTo, createConfirmedUser, latestEmailTo, rawAuthRequest, readAuthEmail } from "./testing";
import { authServerWithScriptedProvider } from "./scripted-provider-testbed";

/*
 * An auth email is sent after its endpoint has answered (pending-emails.ts). What a provider
 * failure or a crash leaves unsent is sent by a later pass (the launcher runs one every few
 * seconds), with a link and a code that still work; what can no longer work is not sent.
 */

const testbed = authServerWithScriptedProvider();

type Pending = { token_id: string; attempts: number; wait_seconds: number };

async function pendingTo(address: string): Promise<Pending[]> {
  return [
    ...(await serviceDb().execute<Pending>(sql`
      select token_id, attempts, extract(epoch from next_attempt_at - now())::float8 as wait_seconds
      from auth.pending_emails where to_address = ${address}`)),
  ];
}

/** As if the wait before the next attempt (or an attempt's lease) had run out. */
async function makeDue(tokenId: string) {
  await serviceDb().execute(sql`update auth.pending_emails set next_attempt_at = now() where token_id = ${tokenId}`);
}

/** What a crash right after the answer leaves: the token and its recorded email, and no attempt under way. */
async function recordedButNeverSent(userId: string, address: string) {
  const pending = await serviceDb().transaction(async (tx) =>
    recordAuthEmail(tx, await issueOneTimeToken(tx, userId, "magiclink"), address, "/leads"),
  );
  return pending.tokenId;
}

describe("auth emails left unsent", () => {
  it("a provider failure is retried after a wait, under the same Idempotency-Key, and the emailed code signs in", async () => {
    const { email } = await createConfirmedUser(testbed.server, "provider-failed");
    testbed.provider.script(email, { status: 500, name: "internal_server_error", message: "Something went wrong" });
    expect((await rawAuthRequest(testbed.server, "/otp", { ip: "198.18.1.1", body: { email } })).status).toBe(200);

    // The failed attempt leaves the email waiting ~30 s (no longer the attempt's 60 s lease).
    await expect.poll(async () => (await pendingTo(email))[0]?.wait_seconds ?? null).toBeLessThanOrEqual(30);
    const [pending] = await pendingTo(email);
    expect(pending).toMatchObject({ attempts: 1 });
    expect(await sendDueAuthEmails({ tokenIds: [pending!.token_id] })).toEqual({ claimed: 0, sent: 0 });

    await makeDue(pending!.token_id);
    expect(await sendDueAuthEmails({ tokenIds: [pending!.token_id] })).toEqual({ claimed: 1, sent: 1 });
    expect(await pendingTo(email)).toEqual([]);
    const keys = testbed.provider.requests.filter((r) => r.to === email).map((r) => r.idempotencyKey);
    expect(keys).toEqual([`auth-email/${pending!.token_id}`, `auth-email/${pending!.token_id}`]);

    const { code } = readAuthEmail((await latestEmailTo(email))!);
    const verified = await testbed.server.anonClient().auth.verifyOtp({ email, token: code!, type: "email" });
    expect(verified.error).toBeNull();
  });

  it("an email whose send a crash cut off is sent once its attempt's lease has run out, and its link signs in", async () => {
    const { email, userId } = await createConfirmedUser(testbed.server, "crashed");
    const tokenId = await recordedButNeverSent(userId, email);

    // While the lease holds, the attempt may still be under way: a pass leaves it alone.
    expect(await sendDueAuthEmails({ tokenIds: [tokenId] })).toEqual({ claimed: 0, sent: 0 });
    expect(await pendingTo(email)).toMatchObject([{ token_id: tokenId, attempts: 1 }]);

    await makeDue(tokenId);
    expect(await sendDueAuthEmails({ tokenIds: [tokenId] })).toEqual({ claimed: 1, sent: 1 });
    const link = readAuthEmail((await latestEmailTo(email))!);
    expect(link.next).toBe("/leads");
    const verified = await testbed.server.anonClient().auth.verifyOtp({ token_hash: link.tokenHash, type: "magiclink" });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email).toBe(email);
  });

  it("an email whose link was replaced by a newer one is dropped, not sent late with a dead link", async () => {
    const { email, userId } = await createConfirmedUser(testbed.server, "replaced");
    const tokenId = await recordedButNeverSent(userId, email);
    const newer = await testbed.server.adminClient().auth.admin.generateLink({ type: "magiclink", email });
    expect(newer.error).toBeNull();

    await makeDue(tokenId);
    expect(await sendDueAuthEmails({ tokenIds: [tokenId] })).toEqual({ claimed: 0, sent: 0 });
    expect(await pendingTo(email)).toEqual([]);
    expect(await countEmailsTo(email)).toBe(0);
  });

  it("an email the provider refuses (4xx) is given up at once: retrying cannot change the answer", async () => {
    const { email } = await createConfirmedUser(testbed.server, "refused");
    testbed.provider.script(email, { status: 422, name: "validation_error", message: "Invalid `to` field." });
    expect((await rawAuthRequest(testbed.server, "/recover", { ip: "198.18.1.2", body: { email } })).status).toBe(200);
    await expect.poll(() => testbed.provider.requests.filter((r) => r.to === email).length).toBe(1);
    expect(await countEmailsTo(email)).toBe(0);
    expect(testbed.provider.requests.filter((r) => r.to === email)).toHaveLength(1);
  });
});
