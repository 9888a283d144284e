import "server-only";
import { z } from "zod";
import { serviceDb } from "@/db";
import { beginSignIn } from "@/lib/rate-limit/password-sign-in";
import { emailNotConfirmed, invalidCredentials, refreshTokenNotFound, userBanned, validationFailed } from "./errors";
import type { AuthCaller } from "./handler";
import { readJsonBody } from "./http";
import { verifyPassword } from "./passwords";
import { toSessionResponse } from "./session-response";
import { rotateRefreshToken, startSession } from "./sessions";
import { findUserByEmail, findUserById, isBanned } from "./users";

// Sign-in takes any string as the email: a malformed address is simply not a known one.
const ZPasswordGrant = z.object({ email: z.string().min(1), password: z.string().min(1) });
const ZRefreshGrant = z.object({ refresh_token: z.string().min(1) });

/** POST /token?grant_type=password|refresh_token */
export async function handleToken(request: Request, _param: string, caller: AuthCaller): Promise<Response> {
  const grantType = new URL(request.url).searchParams.get("grant_type");
  if (grantType === "password") return signInWithPassword(request, caller);
  if (grantType === "refresh_token") return refreshSession(request);
  throw validationFailed(grantType ? "Unsupported grant_type" : "Missing query parameter `grant_type`");
}

/**
 * Per-IP and per-account limits with back-off (lib/rate-limit/password-sign-in.ts): while
 * either is locked out, even the right password gets 429 over_request_rate_limit.
 */
async function signInWithPassword(request: Request, caller: AuthCaller): Promise<Response> {
  const { email, password } = await readJsonBody(request, ZPasswordGrant);
  const attempt = caller.passwordAttemptCounted ? null : await beginSignIn({ ip: caller.clientIp, email });
  const db = serviceDb();
  let user, passwordMatches;
  try {
    user = await findUserByEmail(db, email);
    // Always pays for one bcrypt comparison, so timing does not tell which emails exist.
    passwordMatches = await verifyPassword(password, user?.encryptedPassword ?? null);
  } catch (error) {
    await attempt?.succeeded(); // no answer about the password: its place goes back
    throw error;
  }
  if (!user || !passwordMatches) {
    await attempt?.failed();
    throw invalidCredentials();
  }
  await attempt?.succeeded();
  // Only someone who knows the password learns about a ban or a missing confirmation.
  if (isBanned(user)) throw userBanned();
  if (!user.emailConfirmedAt) throw emailNotConfirmed();
  const issued = await db.transaction((tx) => startSession(tx, user, "password"));
  return Response.json(await toSessionResponse(issued.user, issued));
}

async function refreshSession(request: Request): Promise<Response> {
  const { refresh_token } = await readJsonBody(request, ZRefreshGrant);
  const db = serviceDb();
  const issued = await rotateRefreshToken(db, refresh_token);
  const user = await findUserById(db, issued.session.userId);
  if (!user) throw refreshTokenNotFound();
  if (isBanned(user)) throw userBanned();
  return Response.json(await toSessionResponse(user, issued));
}
