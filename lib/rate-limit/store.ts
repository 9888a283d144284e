import "server-only";
import { RateLimiterDrizzle } from "rate-limiter-flexible";
import { serviceDb, type Database } from "@/db";
import { keyPrefixOf } from "./stored-key";
import { rateLimits } from "./table";
import { env } from "@/lib/env";

/** A fixed window: at most `points` within `durationSeconds` of the first one. */
export type Window = { points: number; durationSeconds: number };

const limiters = new Map<string, { db: Database; limiter: RateLimiterDrizzle }>();

/**
 * A rate-limiter-flexible limiter over the `rate_limits` table through our own Drizzle
 * connection, so the counters are shared by every app instance without a second driver.
 * Keys are scoped by APP_URL: instances of one deployment share them, and two deployments
 * (or two test servers) on one database do not.
 */
export function storedLimiter(name: string, window: Window): RateLimiterDrizzle {
  const db = serviceDb();
  const id = `${env().APP_URL}|${name}|${window.points}|${window.durationSeconds}`;
  const cached = limiters.get(id);
  if (cached && cached.db === db) return cached.limiter;
  const limiter = new RateLimiterDrizzle({
    storeClient: db,
    schema: rateLimits,
    keyPrefix: keyPrefixOf(env().APP_URL, name),
    points: window.points,
    duration: window.durationSeconds,
  });
  limiters.set(id, { db, limiter });
  return limiter;
}

export { subjectKey } from "./stored-key";
