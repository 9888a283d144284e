/**
 * A request refused by a rate limit. `retryAfterSeconds` becomes the Retry-After header and the
 * "try again in N minutes" the person reads; it is the same for every account and address.
 */
export class RateLimitedError extends Error {
  constructor(
    readonly limit: string,
    readonly retryAfterSeconds: number,
    /** What the person is told was too much ("Too many requests" unless the limit says). */
    readonly refusal = "Too many requests",
  ) {
    super(`rate limit ${limit} reached; retry after ${retryAfterSeconds}s`);
    this.name = "RateLimitedError";
  }
}

/** "Too many attempts — try again in 3 minutes": whole minutes, rounded up, at least one. */
export function tryAgainMessage(retryAfterSeconds: number, what = "Too many attempts"): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `${what} — try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

export function secondsFromMs(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * "Too many requests — try again in 40 seconds" (or "in 12 minutes" past two minutes): the
 * message a limited action or route shows, from the limit's own refusal.
 */
export function tryAgainSoonMessage(error: RateLimitedError): string {
  return `${error.refusal} — try again in ${waitInWords(error.retryAfterSeconds)}.`;
}

export function waitInWords(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** A route's answer to a limited request: 429, Retry-After, and the message in words. */
export function tooManyRequests(error: RateLimitedError, format: "json" | "text" = "json"): Response {
  const headers = { "retry-after": String(error.retryAfterSeconds), "cache-control": "no-store" };
  const message = tryAgainSoonMessage(error);
  if (format === "json") return Response.json({ error: message }, { status: 429, headers });
  return new Response(message, { status: 429, headers: { ...headers, "content-type": "text/plain; charset=utf-8" } });
}
