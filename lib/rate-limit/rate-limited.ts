/**
 * A request refused by a rate limit. `retryAfterSeconds` becomes the Retry-After header and the
 * "try again in N minutes" the person reads; it is the same for every account and address.
 */
export class RateLimitedError extends Error {
  constructor(
    readonly limit: string,
    readonly retryAfterSeconds: number,
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
