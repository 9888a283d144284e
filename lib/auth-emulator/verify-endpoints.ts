import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb } from "@/db";
import { VERIFY_FAILURES_PER_IP } from "@/lib/rate-limit/policies";
import { countRequest, secondsUntilAllowed } from "@/lib/rate-limit/request-limit";
import { emulatorConfig } from "./config";
import { codeExpired, GoTrueError, otpExpired, overRequestRateLimit, userBanned } from "./errors";
import type { AuthCaller } from "./handler";
import { readJsonBody, sameOriginPath } from "./http";
import { consumeEmailOtp, consumeLinkToken, type ConsumedOneTimeToken } from "./one-time-tokens";
import { toSessionResponse } from "./session-response";
import { startSession, type SignInMethod } from "./sessions";
import type { OneTimeTokenType } from "./tables";
import { findUserByEmail, findUserById, isBanned, updateUser, type UserChanges } from "./users";

const VERIFY_TYPES = ["email", "magiclink", "signup", "invite", "recovery"] as const;
type VerifyType = (typeof VERIFY_TYPES)[number];

/** `email` is the current name for what magic links and sign-up confirmations both send. */
const ACCEPTED_TOKENS: Record<VerifyType, OneTimeTokenType[]> = {
  email: ["magiclink", "signup"],
  magiclink: ["magiclink", "signup"],
  signup: ["signup", "magiclink"],
  invite: ["invite"],
  recovery: ["recovery"],
};

const ZVerify = z
  .object({
    type: z.enum(VERIFY_TYPES),
    token_hash: z.string().min(1).nullish(),
    email: z.string().min(1).nullish(),
    token: z.string().min(1).nullish(),
  })
  .refine((b) => b.token_hash || (b.email && b.token), {
    message: "either token_hash, or email and token, are required",
    path: ["token_hash"],
  });
type VerifyInput = z.infer<typeof ZVerify>;

/** POST /verify: a single-use token becomes a session, and the email counts as confirmed. */
export async function handleVerify(request: Request, _param: string, caller: AuthCaller): Promise<Response> {
  const body = await readJsonBody(request, ZVerify);
  return Response.json(await verifyLimited(body, caller));
}

/**
 * Per client IP, GoTrue's verification limit; but only failed verifications count, so people
 * opening their own links are never slowed, while guessing codes or links is. Once the IP is
 * over the limit even a valid token waits (and stays valid) until the window passes.
 */
async function verifyLimited(input: VerifyInput, caller: AuthCaller) {
  const wait = await secondsUntilAllowed(VERIFY_FAILURES_PER_IP, caller.clientIp);
  if (wait > 0) throw overRequestRateLimit(wait);
  try {
    return await verifyAndSignIn(input);
  } catch (error) {
    if (error instanceof GoTrueError && error.errorCode === "otp_expired") await countRequest(VERIFY_FAILURES_PER_IP, caller.clientIp);
    throw error;
  }
}

async function verifyAndSignIn(input: VerifyInput) {
  const consumed = await consumeToken(input);
  if (!consumed) throw input.token_hash ? otpExpired() : codeExpired();
  const issued = await serviceDb().transaction(async (tx) => {
    const user = await findUserById(tx, consumed.userId, { forUpdate: true });
    if (!user) throw otpExpired();
    if (isBanned(user)) throw userBanned();
    const confirmed = user.emailConfirmedAt ? user : await updateUser(tx, user.id, firstConfirmation(consumed.type));
    return startSession(tx, confirmed, signInMethod(consumed.type, !input.token_hash));
  });
  return toSessionResponse(issued.user, issued);
}

/**
 * Only a sign-up link confirms the password it was sent for. Any other first proof of the
 * address (magic link, invitation, recovery) drops a password set before it: whoever signed
 * the address up never proved they own it, and must not keep a way in.
 */
function firstConfirmation(type: OneTimeTokenType): UserChanges {
  return type === "signup" ? { emailConfirmedAt: sql`now()` } : { emailConfirmedAt: sql`now()`, encryptedPassword: null };
}

async function consumeToken(input: VerifyInput): Promise<ConsumedOneTimeToken | null> {
  const db = serviceDb();
  const types = ACCEPTED_TOKENS[input.type];
  if (input.token_hash) return consumeLinkToken(db, input.token_hash, types);
  const user = await findUserByEmail(db, input.email ?? "");
  return user ? consumeEmailOtp(db, user.id, input.token ?? "", types) : null;
}

function signInMethod(type: OneTimeTokenType, byCode: boolean): SignInMethod {
  if (type === "invite" || type === "recovery") return type;
  if (byCode) return "otp";
  return type === "signup" ? "email/signup" : "magiclink";
}

const ZVerifyLink = z.object({ token: z.string().min(1), type: z.enum(VERIFY_TYPES) });

/**
 * GET /verify?token=&type=&redirect_to= — the link older Supabase templates put in emails.
 * Like GoTrue's implicit flow it redirects with the session, or the error, in the fragment.
 */
export async function handleVerifyLink(request: Request, _param: string, caller: AuthCaller): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const target = sameOriginUrl(params.get("redirect_to"));
  let fragment: URLSearchParams;
  try {
    const query = ZVerifyLink.safeParse({ token: params.get("token"), type: params.get("type") });
    if (!query.success) throw otpExpired();
    const session = await verifyLimited({ type: query.data.type, token_hash: query.data.token }, caller);
    fragment = new URLSearchParams({
      access_token: session.access_token,
      expires_at: String(session.expires_at),
      expires_in: String(session.expires_in),
      refresh_token: session.refresh_token,
      token_type: "bearer",
      type: query.data.type,
    });
  } catch (error) {
    if (!(error instanceof GoTrueError)) throw error;
    fragment = new URLSearchParams({
      error: error.status >= 500 ? "server_error" : "access_denied",
      error_code: error.errorCode,
      error_description: error.message,
    });
  }
  target.hash = fragment.toString();
  return new Response(null, { status: 303, headers: { location: target.toString() } });
}

/** Only this app's own pages may receive tokens; anything else falls back to its home page. */
function sameOriginUrl(redirectTo: string | null): URL {
  return new URL(sameOriginPath(redirectTo), emulatorConfig().appUrl);
}
