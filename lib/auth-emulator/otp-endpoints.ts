import "server-only";
import { z } from "zod";
import { serviceDb, type Executor } from "@/db";
import { env } from "@/lib/env";
import { GoTrueError } from "./errors";
import type { AuthCaller } from "./handler";
import { readJsonBody, sameOriginPath } from "./http";
import { issueOneTimeToken, secondsSinceLastToken, type IssuedOneTimeToken } from "./one-time-tokens";
import { recordAuthEmail, sendAfterAnswer } from "./pending-emails";
import { assertCanSendAuthEmail, consumeEmailAllowance } from "./send-auth-email";
import type { AuthUser, OneTimeTokenType } from "./tables";
import { findUserByEmail, findUserById, insertUser, isBanned } from "./users";

/** GoTrue's default: one OTP or recovery email per address per minute. */
const EMAIL_INTERVAL_SECONDS = 60;

const ZEmail = z
  .string()
  .trim()
  .pipe(z.email({ message: "Unable to validate email address: invalid format" }));
const ZOtp = z.object({
  email: ZEmail.optional(),
  phone: z.string().nullish(),
  create_user: z.boolean().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
});
const ZRecover = z.object({ email: ZEmail });

/*
 * /otp and /recover answer every well-formed request alike, whatever the address: unknown,
 * known, banned, or already sent a link within the minute. Only what is sent differs, and it is
 * sent after the answer (pending-emails.ts), so the answer's timing does not tell either.
 * Where this deliberately differs from GoTrue, which tells a stranger more:
 *  - `create_user: false` with an unknown address is 200 here, not 422 otp_disabled;
 *  - sign-ups off (AUTH_ENABLE_SIGNUP), /otp for an unknown address is 200 and sends nothing,
 *    where GoTrue answers 422; sign-ups on, it creates the user as GoTrue does;
 *  - a second request for one address within the minute is 200 and sends nothing, where
 *    GoTrue answers 429 over_email_send_rate_limit for existing accounts only;
 *  - the email is sent after the answer, and retried after a provider failure (logged), where
 *    GoTrue sends before it answers, and answers 500 on a failure, for existing accounts only.
 * Refusals that do not depend on the address stay: the per-IP and global email limits (429
 * with Retry-After, counted before any look-up) and "email is not configured" (422).
 */

/**
 * POST /otp: a magic link and a 6-digit code. PKCE fields are accepted and ignored: the email
 * link carries a token_hash that the app's /auth/confirm verifies server-side instead.
 */
export async function handleOtp(request: Request, _param: string, caller: AuthCaller): Promise<Response> {
  const body = await readJsonBody(request, ZOtp);
  if (!body.email) {
    if (body.phone) throw new GoTrueError(422, "phone_provider_disabled", "Unsupported phone provider");
    throw new GoTrueError(400, "validation_failed", "Invalid field `email`: an email address is required");
  }
  const email = body.email;
  const next = sameOriginPath(new URL(request.url).searchParams.get("redirect_to"));
  const mayCreate = env().AUTH_ENABLE_SIGNUP && body.create_user !== false;
  assertCanSendAuthEmail();
  await consumeEmailAllowance(caller.clientIp);
  const pending = await serviceDb().transaction(async (tx) => {
    const existing = await lockUserByEmail(tx, email);
    const user = existing ?? (mayCreate ? await insertUser(tx, { email, userMetadata: body.data ?? {} }) : null);
    const issued = user ? await issueIfDue(tx, user, "magiclink") : null;
    return issued ? recordAuthEmail(tx, issued, email, next) : null;
  });
  sendAfterAnswer(pending);
  return Response.json({});
}

/** POST /recover: a password-reset link. */
export async function handleRecover(request: Request, _param: string, caller: AuthCaller): Promise<Response> {
  const { email } = await readJsonBody(request, ZRecover);
  const redirectTo = new URL(request.url).searchParams.get("redirect_to");
  const next = redirectTo ? sameOriginPath(redirectTo) : "/auth/set-password";
  assertCanSendAuthEmail();
  await consumeEmailAllowance(caller.clientIp);
  const pending = await serviceDb().transaction(async (tx) => {
    const user = await lockUserByEmail(tx, email);
    const issued = user ? await issueIfDue(tx, user, "recovery") : null;
    return issued ? recordAuthEmail(tx, issued, email, next) : null;
  });
  sendAfterAnswer(pending);
  return Response.json({});
}

/** The row lock serialises concurrent requests for one address, so the interval holds. */
async function lockUserByEmail(tx: Executor, email: string): Promise<AuthUser | undefined> {
  const user = await findUserByEmail(tx, email);
  return user && findUserById(tx, user.id, { forUpdate: true });
}

/** Null for a banned user, or one sent a token of this type within the interval. */
async function issueIfDue(tx: Executor, user: AuthUser, type: OneTimeTokenType): Promise<IssuedOneTimeToken | null> {
  if (isBanned(user)) return null;
  const elapsed = await secondsSinceLastToken(tx, user.id, [type]);
  if (elapsed !== null && elapsed < EMAIL_INTERVAL_SECONDS) return null;
  return issueOneTimeToken(tx, user.id, type);
}
