/**
 * The sequence function's `throttle` (Inngest flow control, issue 13): campaign sends start no
 * faster than the provider accepts requests, so bursts queue in the executor instead of
 * meeting 429s. Resend's limit is per team (one account per deployment), so the throttle has
 * no key: one limit for every send of this app. Read from the environment when the function is
 * defined (module load, before env() may run): Resend's RESEND_RATE_LIMIT (default 5/s), or
 * the embedded outbox's LOCAL_OUTBOX_RATE_LIMIT; none for an outbox without a limit.
 */
export function providerThrottle(source: Record<string, string | undefined> = process.env): { limit: number; period: "1s" } | undefined {
  const perSecond = source.RESEND_API_KEY ? Number(source.RESEND_RATE_LIMIT || 5) : Number(source.LOCAL_OUTBOX_RATE_LIMIT || 0);
  return Number.isInteger(perSecond) && perSecond >= 1 ? { limit: perSecond, period: "1s" } : undefined;
}
