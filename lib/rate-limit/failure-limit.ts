import "server-only";
import { RateLimitedError, secondsFromMs } from "./rate-limited";
import type { RequestLimit } from "./request-limit";
import { secondsUntilAllowed } from "./request-limit";
import { storedLimiter, subjectKey } from "./store";

/**
 * Back-off: the first lock lasts `firstLockSeconds`, each further lock within `memorySeconds`
 * twice as long as the one before, up to `maxLockSeconds`.
 */
export type BackOff = { firstLockSeconds: number; maxLockSeconds: number; memorySeconds: number };
export type FailureLimit = RequestLimit & { backOff: BackOff };

/** An attempt that holds a place in its subject's window: say how it ended. */
export type Attempt = {
  /** The answer was right: the attempt was no failure (`forgive`: the failures before it are forgiven too). */
  succeeded(options?: { forgive: boolean }): Promise<void>;
  /** The answer was wrong: it stays counted, and the attempt that fills the window locks `subject` out, with the back-off. */
  failed(): Promise<number>;
};

/**
 * Takes an attempt's place in `subject`'s window before the answer is checked, or refuses it
 * (RateLimitedError) while `subject` is locked out or every place is taken. Counting only after
 * the check let attempts sent all at once pass a check that none of them had counted in yet:
 * hundreds of password guesses per lock instead of the limit's few. While locked out even a
 * right answer is refused, so a guesser cannot learn that a guess was right.
 */
export async function beginAttempt(limit: FailureLimit, subject: string): Promise<Attempt> {
  const key = subjectKey(subject);
  const counter = storedLimiter(limit.name, limit);
  const locked = await secondsUntilAllowed(limit, subject);
  if (locked > 0) throw new RateLimitedError(limit.name, locked);
  const taken = await counter.penalty(key, 1);
  if (taken.consumedPoints > limit.points) {
    // Every place is taken by attempts still being checked: this one is refused, not counted.
    await counter.reward(key, 1);
    throw new RateLimitedError(limit.name, secondsFromMs(taken.msBeforeNext));
  }
  return {
    succeeded: async ({ forgive } = { forgive: false }) => {
      if (forgive) await counter.delete(key);
      else await counter.reward(key, 1);
    },
    failed: async () => {
      if (taken.consumedPoints < limit.points) return 0;
      const { firstLockSeconds, maxLockSeconds, memorySeconds } = limit.backOff;
      const history = storedLimiter(`${limit.name}:locks`, { points: Number.MAX_SAFE_INTEGER, durationSeconds: memorySeconds });
      const locks = await history.penalty(key, 1);
      const seconds = Math.min(maxLockSeconds, firstLockSeconds * 2 ** Math.min(locks.consumedPoints - 1, 20));
      await counter.block(key, seconds);
      return seconds;
    },
  };
}
