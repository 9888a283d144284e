import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * How names and words sort: without accents, then lower-cased, so "Émile" sits among the e's and
 * "acme" beside "Acme" (the database collation is C, which orders by code point). The stored sort
 * keys of leads and companies are this (migration 0128), and every list ordered by a name (owners,
 * campaigns) uses it too, so that one order holds on screen, in exports and in the API.
 * private.unaccent_text is unaccent() made IMMUTABLE (migration 0021); a few of its replacements
 * are capitals ("ℕ" becomes "N"), hence lower() outside it.
 */
export function textSortKey(value: SQL | AnyPgColumn): SQL {
  return sql`lower(private.unaccent_text(${value}))`;
}
