import "server-only";
import { eq, sql } from "drizzle-orm";
import { serviceDb, type Executor } from "@/db";
import { deliverEmail, type DeliveryResult } from "@/lib/email/send-email";
import { authEmailFor } from "./emails";
import { confirmLink } from "./http";
import type { IssuedOneTimeToken } from "./one-time-tokens";
import { authPendingEmails, type OneTimeTokenType } from "./tables";
import { deriveEmailSecrets } from "./tokens";

/*
 * The emails of the public endpoints (/otp, /recover, /signup, /resend) are recorded with their
 * token and sent after the answer: an answer that waited for the email provider, which only an
 * address with an account (or a new one) makes it wait for, would tell a stranger by its timing
 * which addresses have accounts (DESIGN.md §11). A recorded email is sent once the provider
 * accepts it; a failure or a crash before then leaves it to sendDueAuthEmails, which the launcher
 * runs (pending-email-delivery.ts), under the same Idempotency-Key.
 */

/** How long an attempt holds its email: well past the provider call's own timeout (20 s). */
const LEASE_SECONDS = 60;
/** The waits after the 1st, 2nd and 3rd failed attempt; the 4th failure gives the email up. */
const RETRY_DELAYS_SECONDS = [30, 2 * 60, 10 * 60] as const;

export type PendingAuthEmail = { tokenId: string; type: OneTimeTokenType; to: string; next: string; attempts: number };

/**
 * Records the email of a token issued in `tx`, so it exists exactly when the token does. Its
 * first attempt is leased at once to the caller, which starts it with sendAfterAnswer.
 */
export async function recordAuthEmail(tx: Executor, token: IssuedOneTimeToken, to: string, next: string): Promise<PendingAuthEmail> {
  await tx.insert(authPendingEmails).values({
    tokenId: token.id,
    toAddress: to,
    nextPath: next,
    attempts: 1,
    nextAttemptAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})` as unknown as Date,
  });
  return { tokenId: token.id, type: token.type, to, next, attempts: 1 };
}

/**
 * Sends a recorded email once the caller has answered (the next turn of the event loop):
 * neither the answer nor the time it takes depends on the provider.
 */
export function sendAfterAnswer(email: PendingAuthEmail | null): void {
  if (email) setImmediate(() => void attemptToSend(email));
}

/**
 * One pass over what failures and crashes left: drops the emails whose link no longer works
 * (used, expired, or replaced by a newer one: the person asked again), then claims the due ones
 * and attempts each once. `tokenIds` limits it to those (tests share one database).
 */
export async function sendDueAuthEmails(options: { tokenIds?: string[]; limit?: number } = {}): Promise<{ claimed: number; sent: number }> {
  const scope = options.tokenIds ? sql`and token_id = any(${sql.param(options.tokenIds)}::uuid[])` : sql``;
  await serviceDb().execute(sql`
    delete from auth.pending_emails p using auth.one_time_tokens t
    where t.id = p.token_id and (t.used_at is not null or t.expires_at <= now()) ${scope}`);
  const claimed = await serviceDb().execute<{
    token_id: string;
    token_type: OneTimeTokenType;
    to_address: string;
    next_path: string;
    attempts: number;
  }>(sql`
    update auth.pending_emails p
    set attempts = p.attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
    from (
      select token_id from auth.pending_emails
      where next_attempt_at <= now() ${scope}
      order by next_attempt_at
      limit ${options.limit ?? 50}
      for update skip locked
    ) due, auth.one_time_tokens t
    where p.token_id = due.token_id and t.id = p.token_id
    returning p.token_id, t.token_type, p.to_address, p.next_path, p.attempts`);
  let sent = 0;
  for (const row of claimed) {
    const email = { tokenId: row.token_id, type: row.token_type, to: row.to_address, next: row.next_path, attempts: row.attempts };
    if ((await attemptToSend(email)) === "sent") sent += 1;
  }
  return { claimed: claimed.length, sent };
}

async function attemptToSend(email: PendingAuthEmail): Promise<"sent" | "retrying" | "given up"> {
  try {
    const { linkToken, otp } = deriveEmailSecrets(email.tokenId);
    const content = authEmailFor(email.type, { link: confirmLink(linkToken, email.type, email.next), code: otp });
    const result = await deliverEmail({
      kind: "credential",
      to: email.to,
      ...content,
      tags: [{ name: "category", value: "auth" }],
      // A retry after an attempt whose answer was lost (a timeout, a crash) sends nothing new.
      idempotencyKey: `auth-email/${email.tokenId}`,
    }).catch((error: unknown): DeliveryResult => {
      const message = error instanceof Error ? error.message : "The email could not be handed to the provider.";
      return { ok: false, status: null, name: "not_sent", message, retryAfterSeconds: null };
    });
    return await recordOutcome(email, result);
  } catch (error) {
    // The database failed: the lease runs out and a later pass tries again.
    console.error("[auth-emulator] an auth email's attempt could not be recorded:", error instanceof Error ? error.message : error);
    return "retrying";
  }
}

async function recordOutcome(email: PendingAuthEmail, result: DeliveryResult): Promise<"sent" | "retrying" | "given up"> {
  const row = eq(authPendingEmails.tokenId, email.tokenId);
  if (result.ok) {
    await serviceDb().delete(authPendingEmails).where(row);
    return "sent";
  }
  // Neither the address nor the link goes to the log: the token id finds the row.
  const reason = `${result.name}: ${result.message}`;
  const refused = result.status !== null && result.status >= 400 && result.status < 500 && result.status !== 429;
  const delay = refused ? undefined : RETRY_DELAYS_SECONDS[email.attempts - 1];
  if (delay === undefined) {
    await serviceDb().delete(authPendingEmails).where(row);
    console.error(`[auth-emulator] gave up the auth email of token ${email.tokenId} after ${email.attempts} attempt(s): ${reason}`);
    return "given up";
  }
  await serviceDb()
    .update(authPendingEmails)
    .set({ nextAttemptAt: sql`now() + make_interval(secs => ${delay})` as unknown as Date })
    .where(row);
  console.error(`[auth-emulator] the auth email of token ${email.tokenId} could not be sent (${reason}); trying again in ${delay} s`);
  return "retrying";
}
