import "server-only";
import { clearFailures, lockedForSeconds, recordFailure } from "./failure-limit";
import { PASSWORD_FAILURES_PER_ACCOUNT, PASSWORD_FAILURES_PER_IP } from "./policies";
import { RateLimitedError } from "./rate-limited";

/** Who is signing in: the client IP (lib/rate-limit/client-ip.ts) and the email as typed. */
export type SignInCaller = { ip: string; email: string };

/** Unknown addresses are counted like known ones, so a lock-out reveals nothing. */
const accountOf = (email: string) => email.trim().toLowerCase();

/**
 * Refuses, before any password is checked, while the IP or the account is locked out. Both
 * sign-in paths (the embedded /token and the app's sign-in action) share these counters.
 */
export async function assertMaySignIn({ ip, email }: SignInCaller): Promise<void> {
  const waits = await Promise.all([
    lockedForSeconds(PASSWORD_FAILURES_PER_IP, ip),
    lockedForSeconds(PASSWORD_FAILURES_PER_ACCOUNT, accountOf(email)),
  ]);
  const wait = Math.max(...waits);
  if (wait > 0) throw new RateLimitedError("password-sign-in", wait);
}

export async function recordSignInFailure({ ip, email }: SignInCaller): Promise<void> {
  await Promise.all([recordFailure(PASSWORD_FAILURES_PER_IP, ip), recordFailure(PASSWORD_FAILURES_PER_ACCOUNT, accountOf(email))]);
}

export async function recordSignInSuccess({ email }: SignInCaller): Promise<void> {
  await clearFailures(PASSWORD_FAILURES_PER_ACCOUNT, accountOf(email));
}
