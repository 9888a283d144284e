import "server-only";
import { authEmailLimits } from "./policies";
import { consumeRequest, secondsUntilAllowed } from "./request-limit";

/**
 * Counts one request for a sign-in, reset or confirmation email against the caller's IP and
 * against everyone together; throws RateLimitedError when either is full. Counted before the
 * address is looked up, so known, unknown and banned addresses use up the allowance alike.
 */
export async function consumeAuthEmailAllowance(clientIp: string): Promise<void> {
  const limits = authEmailLimits();
  await consumeRequest(limits.perIp, clientIp);
  await consumeRequest(limits.global, "all");
}

/** How long until this IP may ask for another auth email (per-IP or global limit); 0 if now. */
export async function authEmailRetryAfterSeconds(clientIp: string): Promise<number> {
  const limits = authEmailLimits();
  const waits = await Promise.all([secondsUntilAllowed(limits.perIp, clientIp), secondsUntilAllowed(limits.global, "all")]);
  return Math.max(...waits);
}
