import type { Throttle } from "./registry";

/**
 * Inngest's `throttle` as a generic cell rate algorithm (GCRA), the algorithm Inngest names:
 * each start moves the key's theoretical arrival time (`tat`) one emission interval
 * (period / limit) on; a start is allowed while `tat` stays within `limit + burst` intervals of
 * now. So after a quiet spell `limit + burst` runs start at once, then one every interval, as
 * Inngest's docs describe. Pure: the caller keeps `tat` (private.job_throttles) under a lock.
 */

export type ThrottleWindow = { emissionMs: number; toleranceMs: number };

export function windowOf(throttle: Throttle): ThrottleWindow {
  const emissionMs = throttle.periodMs / throttle.limit;
  return { emissionMs, toleranceMs: emissionMs * (throttle.limit + throttle.burst) };
}

/** Takes one start if the throttle allows it now: the new `tat`, or null when it must wait. */
export function takeStart(window: ThrottleWindow, tat: number | null, now: number): number | null {
  const next = Math.max(tat ?? now, now) + window.emissionMs;
  return next - now <= window.toleranceMs ? next : null;
}

/** The earliest time at which `takeStart` will allow the next start. */
export function availableAt(window: ThrottleWindow, tat: number): number {
  return tat + window.emissionMs - window.toleranceMs;
}
