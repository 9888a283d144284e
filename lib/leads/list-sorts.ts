import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { leads } from "@/db/schema";
import type { SortValue } from "./list-cursor";
import type { LeadSort } from "./list-state";

/**
 * How each column of the lead table sorts: by a stored sort column of leads (db/schema/leads.ts,
 * `sort_*`), each NOT NULL (a missing value is the smallest: first ascending, last descending),
 * so a keyset step is one row comparison `(key, id) > (value, id)` that the index on
 * (workspace_id, key, id) answers as a range, in either direction. Plain columns because under
 * RLS only leakproof comparisons reach an index range (see the schema).
 *
 * Owner sorts by the owner's name, which lives in profiles: it is paged per owner instead
 * (lib/leads/list-leads.ts), so it has no key here.
 */
export type ColumnSort = {
  key: AnyPgColumn;
  /** The cursor's value as a parameter of the key's type. */
  param: (value: SortValue) => SQL;
};

const asTimestamp = (v: SortValue) => sql`${String(v)}::timestamptz`;
const asText = (v: SortValue) => sql`${String(v)}::text`;
const asSmallint = (v: SortValue) => sql`${Number(v)}::smallint`;

export const COLUMN_SORTS: Record<Exclude<LeadSort, "owner">, ColumnSort> = {
  created: { key: leads.createdAt, param: asTimestamp },
  lastActivity: { key: leads.sortLastActivity, param: asTimestamp },
  name: { key: leads.sortName, param: asText },
  title: { key: leads.sortTitle, param: asText },
  company: { key: leads.sortCompany, param: asText },
  email: { key: leads.sortEmail, param: asText },
  status: { key: leads.sortStatus, param: asSmallint },
  source: { key: leads.sortSource, param: asSmallint },
  score: { key: leads.score, param: asSmallint },
  tags: { key: leads.sortTags, param: asText },
  fitScore: { key: leads.sortFitScore, param: asSmallint },
  icebreaker: { key: leads.sortIcebreaker, param: asText },
};

/** The key as the cursor carries it: timestamps as text keep their microseconds. */
export function sortValueSelect(sort: Exclude<LeadSort, "owner">): SQL {
  const { key } = COLUMN_SORTS[sort];
  if (sort === "created" || sort === "lastActivity") return sql`${key}::text`;
  return sql`${key}`;
}
