import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * The database's side of lib/text/showable.ts (UNSHOWABLE): a name holds no control character
 * (C0 and C1), line or paragraph separator, or bidirectional control. PostgreSQL's regular
 * expressions have no \p{Cc}, so the ranges are spelled out.
 */
export const showable = (column: PgColumn): SQL =>
  sql`${column} !~ ${sql.raw(`'[\\x01-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]'`)}`;
