import "server-only";
import { integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Counters of lib/rate-limit (rate-limiter-flexible's Drizzle store reads the `key`, `points`
 * and `expire` properties), created by migration 0007. In PostgreSQL so a limit holds across
 * app instances; in the `private` schema, which Supabase's API never exposes, with row level
 * security on and forced, no policy, and no grant to `anon` or `authenticated`: only the
 * service connection reads or writes it. Declared outside db/schema because drizzle-kit
 * manages `public` only.
 */
export const rateLimits = pgSchema("private").table("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamp("expire", { withTimezone: true, mode: "date" }),
});
