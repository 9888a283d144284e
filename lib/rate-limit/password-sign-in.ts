import "server-only";
import { beginAttempt, type Attempt } from "./failure-limit";
import { PASSWORD_FAILURES_PER_ACCOUNT, PASSWORD_FAILURES_PER_IP } from "./policies";

/** Who is signing in: the client IP (lib/rate-limit/client-ip.ts) and the email as typed. */
export type SignInCaller = { ip: string; email: string };

/** A password sign-in that holds its place in both windows: say how it ended. */
export type SignInAttempt = { succeeded(): Promise<void>; failed(): Promise<void> };

/** Unknown addresses are counted like known ones, so a lock-out reveals nothing. */
const accountOf = (email: string) => email.trim().toLowerCase();

/**
 * Takes the attempt's place in the IP's and the account's windows before any password is
 * checked (lib/rate-limit/failure-limit.ts, beginAttempt), or refuses it with RateLimitedError
 * while either is locked out or full. Both sign-in paths (the embedded /token and the app's
 * sign-in action) share these counters. A right password forgives the account's failures, not
 * the IP's.
 */
export async function beginSignIn({ ip, email }: SignInCaller): Promise<SignInAttempt> {
  const byIp = await beginAttempt(PASSWORD_FAILURES_PER_IP, ip);
  let byAccount;
  try {
    byAccount = await beginAttempt(PASSWORD_FAILURES_PER_ACCOUNT, accountOf(email));
  } catch (error) {
    await byIp.succeeded(); // never tried: its place goes back
    throw error;
  }
  return {
    succeeded: async () => {
      await Promise.all([byIp.succeeded(), byAccount.succeeded({ forgive: true })]);
    },
    failed: async () => {
      await Promise.all([byIp.failed(), byAccount.failed()]);
    },
  };
}

/**
 * A password checked for someone already signed in (a password change asks for the current
 * one): a guess all the same, counted in the account's window that sign-ins use, so a stolen
 * session cannot try passwords beyond the sign-in limit.
 */
export function beginPasswordCheck(email: string): Promise<Attempt> {
  return beginAttempt(PASSWORD_FAILURES_PER_ACCOUNT, accountOf(email));
}
