import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import { companies } from "@/db/schema";
import type { LeadTotal } from "@/lib/leads/lead-list-types";
import type { CompanyListPage, CompanyListRow } from "./company-types";
import { decodeCompanyCursor, encodeCompanyCursor, type CompanyCursor } from "./cursor";
import type { CompanyListState, CompanySort } from "./list-state";

/** Up to this many matching companies are counted exactly; past it the total is the planner's estimate. */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * The sort key of each sort, the same expression as its index (db/schema/companies.ts), so a
 * keyset page is an index range scan however deep it is (the row comparison is the index
 * condition only on plain columns, hence size_sort). Companies of unknown size sort as the smallest.
 */
const SORT_KEYS: Record<CompanySort, { key: SQL; cast: SQL; cursorValue: SQL }> = {
  name: { key: sql`${companies.name}`, cast: sql`text`, cursorValue: sql`${companies.name}` },
  size: {
    key: sql`coalesce(${companies.employeeCount}, -1)`,
    cast: sql`integer`,
    cursorValue: sql`coalesce(${companies.employeeCount}, -1)`,
  },
  leads: { key: sql`${companies.leadCount}`, cast: sql`integer`, cursorValue: sql`${companies.leadCount}` },
  created: {
    key: sql`${companies.createdAt}`,
    cast: sql`timestamptz`,
    cursorValue: sql`to_char(${companies.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
};

/** The search box: a fragment of the name or domain, any case; `%` and `_` are plain characters. */
export function companySearchCondition(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`lower(${companies.name} || ' ' || coalesce(${companies.domain}, '')) like '%' || lower(${escaped}) || '%'`;
}

/**
 * One page of the workspace's companies for the list page, run in the caller's RLS-scoped
 * transaction. Keyset paging (never OFFSET) on (sort key, id) in one direction, forwards from
 * `cursor`, or backwards when `before`. A cursor that does not fit the sort (edited, or left
 * from another sort) gives the first page and `cursorIgnored`.
 */
export async function listCompanies(
  tx: Database,
  { workspaceId, state }: { workspaceId: string; state: CompanyListState },
): Promise<CompanyListPage> {
  const { sort, dir, pageSize } = state;
  const cursor = state.cursor ? decodeCompanyCursor(state.cursor, sort, dir) : null;
  const cursorIgnored = !!state.cursor && !cursor;
  const backwards = !!cursor && state.before;
  const { key, cast, cursorValue } = SORT_KEYS[sort];
  // Reading backwards walks the same index the other way, then the rows are put back in order.
  const ascending = (dir === "asc") !== backwards;
  const filter = and(eq(companies.workspaceId, workspaceId), companySearchCondition(state.q));
  const after = cursor
    ? ascending
      ? sql`(${key}, ${companies.id}) > (${cursor.value}::${cast}, ${cursor.id}::uuid)`
      : sql`(${key}, ${companies.id}) < (${cursor.value}::${cast}, ${cursor.id}::uuid)`
    : undefined;
  const order = ascending ? sql`asc` : sql`desc`;

  const [found, total] = await Promise.all([
    tx
      .select({
        id: companies.id,
        name: companies.name,
        domain: companies.domain,
        industry: companies.industry,
        employeeCount: companies.employeeCount,
        country: companies.country,
        city: companies.city,
        leadCount: companies.leadCount,
        createdAt: companies.createdAt,
        cursorValue: sql<string | number>`${cursorValue}`,
      })
      .from(companies)
      .where(and(filter, after))
      .orderBy(sql`${key} ${order}`, sql`${companies.id} ${order}`)
      .limit(pageSize + 1),
    countCompanies(tx, filter!),
  ]);

  const more = found.length > pageSize;
  const page = found.slice(0, pageSize);
  if (backwards) page.reverse();
  const cursorOf = (row: (typeof page)[number] | undefined) =>
    row ? encodeCompanyCursor({ sort, dir, value: row.cursorValue, id: row.id } satisfies CompanyCursor) : null;
  return {
    rows: page.map(({ cursorValue: _cursorValue, createdAt, ...row }): CompanyListRow => ({ ...row, createdAt: createdAt.toISOString() })),
    // Forwards: a next page when there was one more row, a previous one when we came from somewhere.
    // Backwards: the reverse.
    nextCursor: backwards ? cursorOf(page.at(-1)) : more ? cursorOf(page.at(-1)) : null,
    prevCursor: backwards ? (more ? cursorOf(page[0]) : null) : cursor ? cursorOf(page[0]) : null,
    total,
    cursorIgnored,
  };
}

/**
 * Exact up to EXACT_COUNT_LIMIT matches (a bounded index scan), else the planner's estimate
 * for the same filter, the rule of the leads list (lib/leads/list-total.ts): never a full
 * count of a big workspace on every page, and no counting at all when the planner already
 * expects far more.
 */
async function countCompanies(tx: Database, filter: SQL): Promise<LeadTotal> {
  const estimate = await plannerEstimate(tx, filter);
  if (estimate > EXACT_COUNT_LIMIT * 4) return { kind: "estimate", value: estimate };
  const [counted] = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${companies} where ${filter} limit ${EXACT_COUNT_LIMIT + 1}) capped`,
  );
  const n = counted?.n ?? 0;
  if (n <= EXACT_COUNT_LIMIT) return { kind: "exact", value: n };
  return { kind: "estimate", value: Math.max(estimate, n) };
}

async function plannerEstimate(tx: Database, filter: SQL): Promise<number> {
  const [row] = await tx.execute<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] | string }>(
    sql`explain (format json) select 1 from ${companies} where ${filter}`,
  );
  const plan = row?.["QUERY PLAN"];
  const parsed = typeof plan === "string" ? (JSON.parse(plan) as [{ Plan: { "Plan Rows": number } }]) : plan;
  return Math.round(parsed?.[0]?.Plan["Plan Rows"] ?? 0);
}
