import { sql, type SQL } from "drizzle-orm";
import { leads } from "@/db/schema";
import type { SortValue } from "./list-cursor";
import type { LeadSort } from "./list-state";

/**
 * How each column of the lead table sorts. Every key is NOT NULL (a missing value is the
 * smallest: first ascending, last descending), so a keyset step is one row comparison
 * `(key, id) > (value, id)` that an index on (workspace_id, key, id) answers by a range scan,
 * in either direction. The expressions here are exactly those of the indexes in
 * db/schema/leads.ts (leads_sort_*): change one, change both.
 *
 * Owner sorts by the owner's name, which lives in profiles: it is paged per owner instead
 * (lib/leads/list-leads.ts), so it has no key here.
 */
export type ColumnSort = {
  key: SQL;
  /** The cursor's value as a parameter of the key's type. */
  param: (value: SortValue) => SQL;
};

const asTimestamp = (v: SortValue) => sql`${String(v)}::timestamptz`;
const asText = (v: SortValue) => sql`${String(v)}::text`;

export const COLUMN_SORTS: Record<Exclude<LeadSort, "owner">, ColumnSort> = {
  created: { key: sql`${leads.createdAt}`, param: asTimestamp },
  lastActivity: { key: sql`coalesce(${leads.lastActivityAt}, '-infinity'::timestamptz)`, param: asTimestamp },
  name: { key: sql`lower(coalesce(${leads.firstName}, '') || ' ' || coalesce(${leads.lastName}, ''))`, param: asText },
  title: { key: sql`lower(coalesce(${leads.title}, ''))`, param: asText },
  company: { key: sql`lower(coalesce(${leads.companyName}, ''))`, param: asText },
  email: { key: sql`lower(coalesce(${leads.email}, ''))`, param: asText },
  status: { key: sql`${leads.status}`, param: (v) => sql`${String(v)}::public.lead_status` },
  source: { key: sql`${leads.source}`, param: (v) => sql`${String(v)}::public.lead_source` },
  score: { key: sql`${leads.score}`, param: (v) => sql`${Number(v)}::smallint` },
  tags: {
    key: sql`${leads.tags}`,
    param: (v) => {
      const tags = Array.isArray(v) ? v : [];
      return tags.length
        ? sql`array[${sql.join(
            tags.map((t) => sql`${t}`),
            sql`, `,
          )}]::text[]`
        : sql`'{}'::text[]`;
    },
  },
};

/** The key as the cursor carries it: timestamps as text keep their microseconds. */
export function sortValueSelect(sort: Exclude<LeadSort, "owner">): SQL {
  const { key } = COLUMN_SORTS[sort];
  if (sort === "score" || sort === "tags") return key;
  return sql`(${key})::text`;
}
