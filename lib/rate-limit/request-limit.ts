import "server-only";
import { RateLimiterRes } from "rate-limiter-flexible";
import { RateLimitedError, secondsFromMs, tooManyRequests } from "./rate-limited";
import { storedLimiter, subjectKey, type Window } from "./store";

/** `refusal`: what a refused person is told was too much ("Too many requests" when unset). */
export type RequestLimit = Window & { name: string; refusal?: string };

/**
 * Counts one request against `limit` for `subject` (an IP, or "all" for a global limit) and
 * throws RateLimitedError once the window is full. Every request counts, whatever its outcome,
 * so the answer cannot depend on the account or address it names.
 */
export async function consumeRequest(limit: RequestLimit, subject: string): Promise<void> {
  try {
    await storedLimiter(limit.name, limit).consume(subjectKey(subject));
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(limit.name, secondsFromMs(rejection.msBeforeNext), limit.refusal);
    throw rejection;
  }
}

/** Seconds until `subject` may try again: 0 while its window has room left. Counts nothing. */
export async function secondsUntilAllowed(limit: RequestLimit, subject: string): Promise<number> {
  const state = await storedLimiter(limit.name, limit).get(subjectKey(subject));
  return state && state.consumedPoints >= limit.points ? secondsFromMs(state.msBeforeNext) : 0;
}

/** Counts one request without refusing it (a failure recorded after the fact). */
export async function countRequest(limit: RequestLimit, subject: string): Promise<number> {
  const state = await storedLimiter(limit.name, limit).penalty(subjectKey(subject), 1);
  return state.consumedPoints;
}

/**
 * For routes: counts the request and answers null while `subject` is within `limit`, else the
 * 429 to send (Retry-After, and the limit's message as JSON `{ error }` or plain text).
 */
export async function refuseOverLimit(limit: RequestLimit, subject: string, format: "json" | "text" = "json"): Promise<Response | null> {
  try {
    await consumeRequest(limit, subject);
    return null;
  } catch (error) {
    if (error instanceof RateLimitedError) return tooManyRequests(error, format);
    throw error;
  }
}
