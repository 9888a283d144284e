import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Counters of lib/rate-limit (rate-limiter-flexible's Drizzle store reads the `key`, `points`
 * and `expire` properties). In PostgreSQL so a limit holds across app instances. RLS is on
 * with no policy: only the service connection reads or writes it, never a user's session.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull().default(0),
    expire: timestamp("expire", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
).enableRLS();
