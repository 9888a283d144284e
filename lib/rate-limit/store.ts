import "server-only";
import type postgres from "postgres";
import { RateLimiterDrizzle } from "rate-limiter-flexible";
import { connect } from "@/db/client";
import { env } from "@/lib/env";
import { keyPrefixOf } from "./stored-key";
import { rateLimits } from "./table";

/** A fixed window: at most `points` within `durationSeconds` of the first one. */
export type Window = { points: number; durationSeconds: number };

/** A counter's row as rate-limiter-flexible's Drizzle store reads it back (it reads `expire` with new Date(…)). */
type CounterRow = { points: number; expire: Date | string | null };

/**
 * rate-limiter-flexible's Drizzle store with its one write, the counting upsert (`_upsert`, the
 * method the library's stores implement), as a hand-written statement that commits without
 * waiting for its WAL flush. Every API request and server action counts one, beside its own
 * work: the Drizzle form spent 0.8 ms of this process's CPU building the statement, and the
 * flush made it the slowest part of an API read at the 95th percentile (2.9 ms against 0.7 ms
 * without it, measured at a million leads). A counter is not worth a flush: a crash of the
 * database may forget the counts of its last fraction of a second (at most three times
 * wal_writer_delay), and other transactions keep their durability.
 * Reads, deletes and the hourly clean-up stay the library's.
 */
class CountingLimiter extends RateLimiterDrizzle {
  constructor(
    options: ConstructorParameters<typeof RateLimiterDrizzle>[0],
    private readonly sql: postgres.Sql,
  ) {
    super(options);
  }

  /** The library's semantics: an expired window starts again at `points`; `forceExpire` overwrites both. */
  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<CounterRow> {
    const now = Date.now();
    const at = new Date(now).toISOString();
    const expire = msDuration > 0 ? new Date(now + msDuration).toISOString() : null;
    // set_config(…, true) lasts until this statement's own (implicit) transaction ends, its commit included.
    const [row] = await this.sql<CounterRow[]>`
      insert into private.rate_limits as r (key, points, expire)
      select ${key}, ${points}, ${expire}::timestamptz
      from (select set_config('synchronous_commit', 'off', true)) as async_commit
      on conflict (key) do update set
        points = case when ${forceExpire} or r.expire <= ${at}::timestamptz then excluded.points else r.points + excluded.points end,
        expire = case when ${forceExpire} or r.expire <= ${at}::timestamptz then excluded.expire else r.expire end
      returning r.points, r.expire`;
    return row!;
  }
}

const limiters = new Map<string, { sql: postgres.Sql; limiter: RateLimiterDrizzle }>();

/**
 * A rate-limiter-flexible limiter over the `rate_limits` table through our own connection pool,
 * so the counters are shared by every app instance without a second driver. Keys are scoped by
 * APP_URL: instances of one deployment share them, and two deployments (or two test servers) on
 * one database do not.
 */
export function storedLimiter(name: string, window: Window): RateLimiterDrizzle {
  const { sql, db } = connect(env().DATABASE_URL);
  const id = `${env().APP_URL}|${name}|${window.points}|${window.durationSeconds}`;
  const cached = limiters.get(id);
  if (cached && cached.sql === sql) return cached.limiter;
  const limiter = new CountingLimiter(
    {
      storeClient: db,
      schema: rateLimits,
      keyPrefix: keyPrefixOf(env().APP_URL, name),
      points: window.points,
      duration: window.durationSeconds,
    },
    sql,
  );
  limiters.set(id, { sql, limiter });
  return limiter;
}

export { subjectKey } from "./stored-key";
