import { durationToMs } from "inngest";

export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };

/** Durable waits have a resolution of one second in Inngest; shorter ones round up. */
const MIN_WAIT_MS = 1000;

export function durationMs(duration: unknown, name: string): number {
  const ms = durationToMs(duration as number | string, { name });
  return Math.max(MIN_WAIT_MS, ms);
}

/** A `Date`, an ISO string, a `Temporal.Instant` or `Temporal.ZonedDateTime`, as epoch ms. */
export function instantMs(time: unknown, what: string): number {
  let ms = Number.NaN;
  if (time instanceof Date) ms = time.getTime();
  else if (typeof time === "string") ms = Date.parse(time);
  else if (typeof time === "object" && time !== null && "epochMilliseconds" in time) ms = Number(time.epochMilliseconds);
  if (!Number.isFinite(ms))
    throw new Error(
      `Invalid \`Date\`, date string, \`Temporal.Instant\`, or \`Temporal.ZonedDateTime\` passed to ${what}: ${String(time)}`,
    );
  return ms;
}

/** A wait's timeout: a duration from now, or an absolute moment. */
export function deadlineMs(timeout: unknown, now: number, what: string): number {
  if (timeout instanceof Date || (typeof timeout === "object" && timeout !== null && "epochMilliseconds" in timeout)) {
    return instantMs(timeout, what);
  }
  return now + durationMs(timeout, `${what} timeout`);
}
