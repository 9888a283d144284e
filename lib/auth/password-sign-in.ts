import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import { AppError } from "@/lib/errors";
import { beginSignIn, type SignInCaller } from "@/lib/rate-limit/password-sign-in";
import { RateLimitedError, tryAgainMessage } from "@/lib/rate-limit/rate-limited";

export function tooManyAttempts(retryAfterSeconds: number): AppError {
  return new AppError("rate_limited", tryAgainMessage(retryAfterSeconds));
}

/**
 * The app's password sign-in (the login action), under the same per-IP and per-account limits
 * as the embedded /token, counted here once per attempt: `supabase` must be a server client
 * made for this caller with `passwordAttemptCounted`, so the embedded server does not count
 * the attempt again. Against a hosted Supabase these limits are the only ones that see the
 * browser's IP.
 */
export async function signInWithPasswordLimited(supabase: SupabaseClient, caller: SignInCaller, password: string): Promise<void> {
  let attempt;
  try {
    attempt = await beginSignIn(caller);
  } catch (error) {
    if (error instanceof RateLimitedError) throw tooManyAttempts(error.retryAfterSeconds);
    throw error;
  }
  const { error } = await supabase.auth.signInWithPassword({ email: caller.email, password });
  if (!error) return attempt.succeeded();
  if (error.code === "invalid_credentials") {
    await attempt.failed();
    throw new AppError("unauthenticated", "That email and password do not match an account.");
  }
  // Not an answer about the password (the server's own limit, or it failed): no failure counted.
  await attempt.succeeded();
  // The right password for an account that cannot sign in yet, or any more: the auth server
  // tells only someone who knows the password, so saying which is no leak.
  if (error.code === "email_not_confirmed") {
    throw new AppError(
      "forbidden",
      "This email address is not confirmed yet. Open the link in the confirmation email, or choose “Email me a link” to get a new one.",
    );
  }
  if (error.code === "user_banned")
    throw new AppError("forbidden", "This account is suspended. Ask an admin of your workspace to restore it.");
  // A hosted Supabase's own limit; it does not say for how long.
  if (error.status === 429) throw new AppError("rate_limited", "Too many attempts — wait a few minutes and try again.");
  throw new Error(`sign-in failed: ${error.code ?? error.status}`);
}
