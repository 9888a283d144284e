import "server-only";
import type { AuthError, SupabaseClient } from "@supabase/supabase-js";
import { emailNotConfigured } from "@/lib/email/delivery";
import { AppError } from "@/lib/errors";
import { authEmailRetryAfterSeconds } from "@/lib/rate-limit/auth-emails";
import { tryAgainMessage } from "@/lib/rate-limit/rate-limited";

/**
 * The login page's email flows: a sign-in link and a password-reset link. `supabase` is a
 * server client made for this caller (createSupabaseServerClient with its IP), so the embedded
 * server counts its email limits against the browser. Every address gets the same answer;
 * only the refusals that do not depend on the address (limits, no email) reach the person.
 */
export type SignInEmailRequest = { ip: string; email: string; redirectTo: string };

export async function requestSignInLink(supabase: SupabaseClient, request: SignInEmailRequest): Promise<void> {
  const { error } = await supabase.auth.signInWithOtp({
    email: request.email,
    options: { shouldCreateUser: false, emailRedirectTo: request.redirectTo },
  });
  if (error) throw await toAppError(error, request.ip, "sign-in link");
}

export async function requestPasswordReset(supabase: SupabaseClient, request: SignInEmailRequest): Promise<void> {
  const { error } = await supabase.auth.resetPasswordForEmail(request.email, { redirectTo: request.redirectTo });
  if (error) throw await toAppError(error, request.ip, "password reset");
}

async function toAppError(error: AuthError, ip: string, what: string): Promise<Error> {
  if (error.code === "email_provider_disabled") return emailNotConfigured();
  if (error.status === 429) {
    // The embedded server's counters say how long; a hosted Supabase does not.
    const seconds = await authEmailRetryAfterSeconds(ip);
    return new AppError("rate_limited", seconds > 0 ? tryAgainMessage(seconds) : "Too many attempts — wait a few minutes and try again.");
  }
  return new Error(`${what} failed: ${error.code ?? error.status}`);
}
