import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import { companies, companyLeadCounts } from "@/db/schema";
import type { LeadTotal } from "@/lib/leads/lead-list-types";
import type { CompanyListPage, CompanyListRow } from "./company-types";
import { decodeCompanyCursor, encodeCompanyCursor } from "./cursor";
import type { CompanyListState, CompanySort } from "./list-state";

/** Up to this many matching companies are counted exactly; past it the total is the planner's estimate. */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * The sort key of each sort and its tie-breaker, the columns of its index, so a keyset page is
 * an index range scan however deep it is: the row comparison is an index condition only on
 * plain columns, hence the name_sort and size_sort columns rather than lower(name) and
 * coalesce(employee_count, -1). Companies
 * of unknown size sort as the smallest. The leads sort walks the counts' own table
 * (company_lead_counts, one row per company), ties by its company id.
 */
const SORT_KEYS: Record<CompanySort, { key: SQL; id: SQL; cast: SQL; cursorValue: SQL }> = {
  name: { key: sql`${companies.nameSort}`, id: sql`${companies.id}`, cast: sql`text`, cursorValue: sql`${companies.nameSort}` },
  size: { key: sql`${companies.sizeSort}`, id: sql`${companies.id}`, cast: sql`integer`, cursorValue: sql`${companies.sizeSort}` },
  leads: {
    key: sql`${companyLeadCounts.leadCount}`,
    id: sql`${companyLeadCounts.companyId}`,
    cast: sql`integer`,
    cursorValue: sql`${companyLeadCounts.leadCount}`,
  },
  created: {
    key: sql`${companies.createdAt}`,
    id: sql`${companies.id}`,
    cast: sql`timestamptz`,
    cursorValue: sql`to_char(${companies.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
};

/**
 * The search box: a fragment of the name or domain, in any case and with or without accents
 * ("muller" finds "Müller", as in the leads' search); `%` and `_` are plain characters. The
 * words go through the same expression as the stored search_text the trigram index holds.
 * LIKE is not leakproof, so under RLS it is tested on each row read, never an index condition:
 * right when many companies match (`order`); for few, see companySearchIds.
 */
export function companySearchCondition(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  return sql`${companies.searchText} like ${searchPattern(q)}`;
}

/**
 * The companies of the workspace whose search text matches, as the trigram index finds them:
 * private.search_company_ids (migration 0035) searches as its owner, only in a workspace the
 * caller belongs to, and the query around it still runs under RLS.
 */
function companySearchIds(workspaceId: string, q: string): SQL {
  return sql`${companies.id} in (select private.search_company_ids(${workspaceId}::uuid, ${searchPattern(q)}))`;
}

function searchPattern(q: string): SQL {
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`'%' || private.unaccent_text(lower(${escaped})) || '%'`;
}

/**
 * How a search reads its page. "match": few companies match, so find them all first (the
 * trigram index, or one pass over the workspace) and sort those. "order": walk the sort's
 * index and test each row; with many matches a page fills at once, but for a rare fragment
 * it would read most of the workspace before the first match (every "Nord…" sits under N).
 */
export type SearchMode = "match" | "order";

/** Up to this many estimated matches a search finds its matches first. */
export const SEARCH_MATCH_UP_TO = 20_000;

type PageRow = Omit<CompanyListRow, "createdAt"> & { createdAt: string; cursorValue: string | number; matchCount?: number };

/**
 * The page query of a list state, forwards from its cursor or backwards (the same index walked
 * the other way) when `before`. Exported so the benchmark can EXPLAIN exactly what the page runs.
 */
export function companyPageSql({ workspaceId, state, mode }: { workspaceId: string; state: CompanyListState; mode: SearchMode }): SQL {
  const { sort, dir, pageSize } = state;
  const cursor = state.cursor ? decodeCompanyCursor(state.cursor, sort, dir) : null;
  const { key, id, cast, cursorValue } = SORT_KEYS[sort];
  const ascending = (dir === "asc") !== (!!cursor && state.before);
  const after = cursor
    ? ascending
      ? sql` and (${key}, ${id}) > (${cursor.value}::${cast}, ${cursor.id}::uuid)`
      : sql` and (${key}, ${id}) < (${cursor.value}::${cast}, ${cursor.id}::uuid)`
    : sql``;
  const order = ascending ? sql`asc` : sql`desc`;
  // The leads sort reads the counts' index and joins each company to it. The others read the
  // companies' own index and look up the count of each row they return; a search that reads
  // every match first looks up only its page's counts, once the page is cut.
  const byCount = sort === "leads";
  const countOf = (id: SQL) =>
    sql`(select ${companyLeadCounts.leadCount} from ${companyLeadCounts} where ${companyLeadCounts.companyId} = ${id})`;
  const countColumn = byCount
    ? sql`${companyLeadCounts.leadCount} as "leadCount", `
    : mode === "order"
      ? sql`${countOf(sql`${companies.id}`)} as "leadCount", `
      : sql``;
  const from = byCount
    ? sql`${companyLeadCounts} join ${companies} on ${companies.id} = ${companyLeadCounts.companyId}
      where ${companyLeadCounts.workspaceId} = ${workspaceId} and`
    : sql`${companies} where`;
  const rows = sql`select ${companies.id} as id, ${companies.name} as name, ${companies.domain} as domain,
      ${companies.industry} as industry, ${companies.employeeCount} as "employeeCount", ${companies.country} as country,
      ${companies.city} as city, ${countColumn}${companies.sampleData} as "sampleData",
      to_char(${companies.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
      ${cursorValue} as "cursorValue", ${key} as sort_key
    from ${from} ${listFilter(workspaceId, state.q, mode)}${after}`;
  // OFFSET 0 keeps the planner from pushing the order into the scan: the matches come first.
  // The window count is every match after the cursor: on the first page, the exact total for free.
  if (mode === "match") {
    const page = sql`select *, count(*) over ()::int as "matchCount" from (${rows} offset 0) m
      order by m.sort_key ${order}, m.id ${order} limit ${pageSize + 1}`;
    if (byCount) return page;
    return sql`select p.*, ${countOf(sql`p.id`)} as "leadCount" from (${page}) p order by p.sort_key ${order}, p.id ${order}`;
  }
  return sql`${rows} order by ${key} ${order}, ${id} ${order} limit ${pageSize + 1}`;
}

/** The workspace and the search: matched by the trigram index in `match` mode, on each row read in `order` mode. */
function listFilter(workspaceId: string, q: string | undefined, mode: SearchMode = "order"): SQL {
  const search = q && mode === "match" ? companySearchIds(workspaceId, q) : companySearchCondition(q);
  return and(eq(companies.workspaceId, workspaceId), search)!;
}

export async function chooseSearchMode(tx: Database, { workspaceId, q }: { workspaceId: string; q?: string }): Promise<SearchMode> {
  return searchModeFor(q, await plannerEstimate(tx, listFilter(workspaceId, q)));
}

const searchModeFor = (q: string | undefined, estimate: number): SearchMode => (q && estimate <= SEARCH_MATCH_UP_TO ? "match" : "order");

/**
 * One page of the workspace's companies for the list page, run in the caller's RLS-scoped
 * transaction, with its total. A cursor that does not fit the sort (edited, or left from
 * another sort) gives the first page and `cursorIgnored`; paging back onto the first page
 * after rows were added or removed meanwhile shows the first page whole.
 */
export async function listCompanies(
  tx: Database,
  { workspaceId, state }: { workspaceId: string; state: CompanyListState },
): Promise<CompanyListPage> {
  const { sort, dir, pageSize } = state;
  const estimate = await plannerEstimate(tx, listFilter(workspaceId, state.q));
  const mode = searchModeFor(state.q, estimate);
  const cursor = state.cursor ? decodeCompanyCursor(state.cursor, sort, dir) : null;
  const firstPage: CompanyListState = { ...state, cursor: undefined, before: false };
  const read = (s: CompanyListState) => tx.execute<PageRow>(companyPageSql({ workspaceId, state: s, mode }));
  // A first page of matches counts them as it reads them; otherwise the page and the total are
  // independent, and sent together they share one round trip.
  const countedWithPage = mode === "match" && !cursor;
  const [fetched, counted] = await Promise.all([
    read(cursor ? state : firstPage),
    countedWithPage ? null : countCompanies(tx, listFilter(workspaceId, state.q, mode), estimate),
  ]);
  const total: LeadTotal = counted ?? { kind: "exact", value: fetched[0]?.matchCount ?? 0 };
  let found: PageRow[] = [...fetched];
  let backwards = !!cursor && state.before;
  let fromCursor = !!cursor;
  if (backwards && found.length <= pageSize) {
    found = [...(await read(firstPage))];
    backwards = false;
    fromCursor = false;
  }

  const more = found.length > pageSize;
  const page = found.slice(0, pageSize);
  if (backwards) page.reverse();
  const cursorOf = (row: PageRow | undefined) => (row ? encodeCompanyCursor({ sort, dir, value: row.cursorValue, id: row.id }) : null);
  return {
    rows: page.map((row): CompanyListRow => ({
      id: row.id,
      name: row.name,
      domain: row.domain,
      industry: row.industry,
      employeeCount: row.employeeCount,
      country: row.country,
      city: row.city,
      leadCount: row.leadCount,
      sampleData: row.sampleData,
      createdAt: row.createdAt,
    })),
    // Forwards: a next page when there was one more row, a previous one when we came from a cursor.
    // Backwards: the reverse.
    nextCursor: backwards || more ? cursorOf(page.at(-1)) : null,
    prevCursor: backwards ? (more ? cursorOf(page[0]) : null) : fromCursor ? cursorOf(page[0]) : null,
    total,
    cursorIgnored: !!state.cursor && !cursor,
  };
}

/**
 * Exact up to EXACT_COUNT_LIMIT matches (a bounded index scan), else the planner's estimate
 * for the same filter, the rule of the leads list (lib/leads/list-total.ts): never a full
 * count of a big workspace on every page, and no counting at all when the planner already
 * expects far more.
 */
async function countCompanies(tx: Database, filter: SQL, estimate: number): Promise<LeadTotal> {
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
