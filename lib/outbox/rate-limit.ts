/**
 * The outbox's optional request rate limit (LOCAL_OUTBOX_RATE_LIMIT, requests per second), so
 * tests meet Resend's 429s for real. A fixed one-second window, as Resend's `ratelimit-reset`
 * (seconds until the window resets) describes; refused requests do not count.
 */
export type RateLimitDecision = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

export type RateLimiter = { take(): RateLimitDecision };

export function createRateLimiter(perSecond: number, now: () => number = Date.now): RateLimiter {
  let windowStart = -Infinity;
  let used = 0;
  return {
    take() {
      const t = now();
      if (t - windowStart >= 1000) {
        windowStart = t;
        used = 0;
      }
      const allowed = used < perSecond;
      if (allowed) used += 1;
      const resetSeconds = Math.max(1, Math.ceil((windowStart + 1000 - t) / 1000));
      return { allowed, limit: perSecond, remaining: perSecond - used, resetSeconds };
    },
  };
}

/** Resend's headers (IETF draft names); `retry-after` only on a refusal. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    "ratelimit-limit": String(decision.limit),
    "ratelimit-remaining": String(decision.remaining),
    "ratelimit-reset": String(decision.resetSeconds),
    ...(decision.allowed ? {} : { "retry-after": String(decision.resetSeconds) }),
  };
}
