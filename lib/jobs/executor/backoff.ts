export type RetryPolicy = { baseMs: number; maxMs: number };

/** Inngest-like exponential back-off: base · 2^attempt, capped, with ±20 % jitter. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.max(1, Math.round(exponential * (0.8 + 0.4 * random())));
}

/** A `RetryAfterError`'s `retryAfter`: seconds as a string, or an ISO date. */
export function retryAfterMs(retryAfter: unknown, now: number): number | undefined {
  if (typeof retryAfter !== "string") return undefined;
  if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const at = Date.parse(retryAfter);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
