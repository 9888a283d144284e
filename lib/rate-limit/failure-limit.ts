import "server-only";
import type { RequestLimit } from "./request-limit";
import { secondsUntilAllowed } from "./request-limit";
import { storedLimiter, subjectKey } from "./store";

/**
 * Back-off: the first lock lasts `firstLockSeconds`, each further lock within `memorySeconds`
 * twice as long as the one before, up to `maxLockSeconds`.
 */
export type BackOff = { firstLockSeconds: number; maxLockSeconds: number; memorySeconds: number };
export type FailureLimit = RequestLimit & { backOff: BackOff };

/** Seconds `subject` stays locked out; 0 when it may try. */
export function lockedForSeconds(limit: FailureLimit, subject: string): Promise<number> {
  return secondsUntilAllowed(limit, subject);
}

/**
 * Counts a failed attempt. When the window fills, locks `subject` out, with the back-off, and
 * returns how long; else 0. While locked out even a right answer is refused (the caller checks
 * lockedForSeconds before it tries), so a guesser cannot learn that a guess was right.
 */
export async function recordFailure(limit: FailureLimit, subject: string): Promise<number> {
  const key = subjectKey(subject);
  const counter = storedLimiter(limit.name, limit);
  const failures = await counter.penalty(key, 1);
  if (failures.consumedPoints < limit.points) return 0;
  const { firstLockSeconds, maxLockSeconds, memorySeconds } = limit.backOff;
  const history = storedLimiter(`${limit.name}:locks`, { points: Number.MAX_SAFE_INTEGER, durationSeconds: memorySeconds });
  const locks = await history.penalty(key, 1);
  const seconds = Math.min(maxLockSeconds, firstLockSeconds * 2 ** Math.min(locks.consumedPoints - 1, 20));
  await counter.block(key, seconds);
  return seconds;
}

/** After a success: the failures so far are forgiven, the lock history is not. */
export async function clearFailures(limit: FailureLimit, subject: string): Promise<void> {
  await storedLimiter(limit.name, limit).delete(subjectKey(subject));
}
