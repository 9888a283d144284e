import "server-only";
import { z } from "zod";
import { serviceDb, type Executor } from "@/db";
import { magicLinkEmail, recoveryEmail } from "./emails";
import { emailRateLimited, GoTrueError, otpSignupsDisabled } from "./errors";
import { confirmLink, readJsonBody, sameOriginPath } from "./http";
import { issueOneTimeToken, secondsSinceLastToken, type IssuedOneTimeToken } from "./one-time-tokens";
import { sendAuthEmail } from "./send-auth-email";
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

/**
 * POST /otp: a magic link and a 6-digit code. PKCE fields are accepted and ignored: the email
 * link carries a token_hash that the app's /auth/confirm verifies server-side instead.
 */
export async function handleOtp(request: Request): Promise<Response> {
  const body = await readJsonBody(request, ZOtp);
  if (!body.email) {
    if (body.phone) throw new GoTrueError(422, "phone_provider_disabled", "Unsupported phone provider");
    throw new GoTrueError(400, "validation_failed", "Invalid field `email`: an email address is required");
  }
  const email = body.email;
  const next = sameOriginPath(new URL(request.url).searchParams.get("redirect_to"));
  const issued = await serviceDb().transaction(async (tx) => {
    const existing = await lockUserByEmail(tx, email);
    // GoTrue reveals this much too: without sign-ups, an unknown address is an error.
    if (!existing && body.create_user === false) throw otpSignupsDisabled();
    const user = existing ?? (await insertUser(tx, { email, userMetadata: body.data ?? {} }));
    return issueRateLimitedToken(tx, user, "magiclink");
  });
  if (issued) {
    const link = confirmLink(issued.linkToken, "magiclink", next);
    await sendAuthEmail(email, magicLinkEmail({ link, code: issued.otp }));
  }
  return Response.json({});
}

/** POST /recover: a password-reset link. Unknown addresses get the same empty 200. */
export async function handleRecover(request: Request): Promise<Response> {
  const { email } = await readJsonBody(request, ZRecover);
  const redirectTo = new URL(request.url).searchParams.get("redirect_to");
  const next = redirectTo ? sameOriginPath(redirectTo) : "/auth/set-password";
  const issued = await serviceDb().transaction(async (tx) => {
    const user = await lockUserByEmail(tx, email);
    return user ? issueRateLimitedToken(tx, user, "recovery") : null;
  });
  if (issued) {
    const link = confirmLink(issued.linkToken, "recovery", next);
    await sendAuthEmail(email, recoveryEmail({ link, code: issued.otp }));
  }
  return Response.json({});
}

/** The row lock serialises concurrent requests for one address, so the rate limit holds. */
async function lockUserByEmail(tx: Executor, email: string): Promise<AuthUser | undefined> {
  const user = await findUserByEmail(tx, email);
  return user && findUserById(tx, user.id, { forUpdate: true });
}

/** Null for a banned user: answered like success, so a ban is not revealed to strangers. */
async function issueRateLimitedToken(tx: Executor, user: AuthUser, type: OneTimeTokenType): Promise<IssuedOneTimeToken | null> {
  if (isBanned(user)) return null;
  const elapsed = await secondsSinceLastToken(tx, user.id, [type]);
  if (elapsed !== null && elapsed < EMAIL_INTERVAL_SECONDS) {
    throw emailRateLimited(Math.max(1, Math.ceil(EMAIL_INTERVAL_SECONDS - elapsed)));
  }
  return issueOneTimeToken(tx, user.id, type);
}
