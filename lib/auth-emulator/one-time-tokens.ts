import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { authOneTimeTokens, type OneTimeTokenType } from "./tables";
import { deriveEmailSecrets, hashOtp, hashToken } from "./tokens";

/** GoTrue's mailer OTP expiry is an hour; an invitation waits a day for its recipient. */
const LIFETIME_SECONDS: Record<OneTimeTokenType, number> = { magiclink: 3600, signup: 3600, recovery: 3600, invite: 86_400 };
/**
 * After this many wrong 6-digit codes the outstanding codes stop working: 10^6 is guessable
 * otherwise. The emailed link is not guessable, so wrong codes (which anyone can send for any
 * address) must not cancel it.
 */
const MAX_FAILED_ATTEMPTS = 5;

/**
 * `linkToken` goes into the email link as `token_hash` (Supabase's name), `otp` is the 6-digit
 * code; only their hashes are stored, and both can be derived again from `id` (tokens.ts).
 */
export type IssuedOneTimeToken = { id: string; type: OneTimeTokenType; linkToken: string; otp: string };
export type ConsumedOneTimeToken = { userId: string; type: OneTimeTokenType };

const unusedAndUnexpired = and(isNull(authOneTimeTokens.usedAt), gt(authOneTimeTokens.expiresAt, sql`now()`));
const codeStillGuessable = and(unusedAndUnexpired, lt(authOneTimeTokens.failedAttempts, MAX_FAILED_ATTEMPTS));

/** Like GoTrue, only the newest token of a type works: issuing one retires the earlier ones. */
export async function issueOneTimeToken(tx: Executor, userId: string, type: OneTimeTokenType): Promise<IssuedOneTimeToken> {
  await tx
    .update(authOneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(authOneTimeTokens.userId, userId), eq(authOneTimeTokens.tokenType, type), isNull(authOneTimeTokens.usedAt)));
  const id = randomUUID();
  const issued = { id, type, ...deriveEmailSecrets(id) };
  await tx.insert(authOneTimeTokens).values({
    id,
    userId,
    tokenType: type,
    tokenHash: hashToken(issued.linkToken),
    otpHash: hashOtp(userId, issued.otp),
    expiresAt: sql`now() + make_interval(secs => ${LIFETIME_SECONDS[type]})`,
  });
  return issued;
}

/** Seconds since the user was last sent a token of these types, or null if never. */
export async function secondsSinceLastToken(tx: Executor, userId: string, types: OneTimeTokenType[]): Promise<number | null> {
  const [row] = await tx
    .select({ seconds: sql<string | null>`extract(epoch from now() - max(${authOneTimeTokens.createdAt}))` })
    .from(authOneTimeTokens)
    .where(and(eq(authOneTimeTokens.userId, userId), inArray(authOneTimeTokens.tokenType, types)));
  return row?.seconds == null ? null : Number(row.seconds);
}

/** Marks the token used and returns whose it was; null when unknown, used, expired or of another type. */
export async function consumeLinkToken(tx: Executor, linkToken: string, types: OneTimeTokenType[]): Promise<ConsumedOneTimeToken | null> {
  const [row] = await tx
    .update(authOneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(authOneTimeTokens.tokenHash, hashToken(linkToken)), inArray(authOneTimeTokens.tokenType, types), unusedAndUnexpired))
    .returning({ userId: authOneTimeTokens.userId, type: authOneTimeTokens.tokenType });
  return row ?? null;
}

/** Run outside a rolled-back transaction: a miss counts against every outstanding code of the user. */
export async function consumeEmailOtp(
  db: Executor,
  userId: string,
  otp: string,
  types: OneTimeTokenType[],
): Promise<ConsumedOneTimeToken | null> {
  const mine = and(eq(authOneTimeTokens.userId, userId), inArray(authOneTimeTokens.tokenType, types), codeStillGuessable);
  const [row] = await db
    .update(authOneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(and(mine, eq(authOneTimeTokens.otpHash, hashOtp(userId, otp))))
    .returning({ userId: authOneTimeTokens.userId, type: authOneTimeTokens.tokenType });
  if (row) return row;
  await db
    .update(authOneTimeTokens)
    .set({ failedAttempts: sql`${authOneTimeTokens.failedAttempts} + 1` })
    .where(mine);
  return null;
}
