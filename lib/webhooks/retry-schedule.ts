/**
 * When a failed delivery is tried again: Standard Webhooks' recommended schedule (5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h after each failure, so seven attempts over about 17.5 hours) unless
 * WEBHOOK_RETRY_SCHEDULE says otherwise. An endpoint is disabled automatically when
 * DISABLE_AFTER_FAILED_EVENTS events in a row failed every attempt, or when it has failed
 * every attempt for DISABLE_AFTER_FAILING_DAYS days (whichever comes first); an admin enables it again.
 */
export const DISABLE_AFTER_FAILED_EVENTS = 5;
export const DISABLE_AFTER_FAILING_DAYS = 5;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

export function parseRetrySchedule(text: string): number[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(\d+)(ms|s|m|h)$/.exec(part);
      if (!match) throw new Error(`"${part}" is not a duration like 5s, 5m or 2h.`);
      return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    });
}

/** The wait after failed attempt number `attempt` (1-based), or null when no automatic attempt is left. */
export function retryDelayAfter(attempt: number, schedule: readonly number[]): number | null {
  return attempt >= 1 && attempt <= schedule.length ? schedule[attempt - 1]! : null;
}
