import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads, profiles, workspaceMembers } from "@/db/schema";
import { textSortKey } from "@/db/schema/_sort-key";
import type { LeadListPage, LeadListRow, LeadTotal } from "./lead-list-types";
import { decodeCursor, encodeCursor, type LeadCursor, type SortValue } from "./list-cursor";
import { matchingLeadsCondition, searchTerms, type LeadQueryScope, type SearchMode } from "./list-filters";
import { COLUMN_SORTS, sortValueSelect } from "./list-sorts";
import { estimateMatchingLeads, leadListTotal } from "./list-total";

export { matchingLeadsCondition, type LeadQueryScope, type SearchMode } from "./list-filters";
export { countMatchingLeads, leadListTotal } from "./list-total";

/**
 * One page of the lead table (issue 10): filters, search, any sort with id as tie-breaker,
 * keyset pages in both directions, the total and the owners' names. Runs in the caller's
 * RLS-scoped transaction (withUserTx); every page is one index range scan whatever its depth.
 *
 * A cursor that does not fit the state (another sort, hand-edited, an owner who left) is not an
 * error: the first page is shown with a notice, as for any malformed URL parameter.
 */
export async function listLeads(tx: Executor, scope: LeadQueryScope): Promise<LeadListPage> {
  const { state } = scope;
  const notices: string[] = [];
  let cursor: LeadCursor | null = null;
  if (state.cursor) {
    cursor = decodeCursor(state.cursor, { sort: state.sort, dir: state.dir });
    if (!cursor) notices.push(STALE_PAGE_NOTICE);
  }

  // The page and the total are independent: sent together, they share one round trip
  // (postgres.js pipelines the queries of a transaction). The members, in name order, only the
  // owner sort needs: a column sort's page carries its owners' names itself.
  const members = state.sort === "owner" ? membersByName(tx, scope.workspaceId) : Promise.resolve([]);
  const search = await chooseSearchMode(tx, scope);
  // A search the trigram index answers reads all its matches before sorting them: on a first
  // page they are counted there for free, where a separate count would run the search again
  // (half of a search's time at a million leads).
  const countWithPage = search === "index" && searchTerms(state.q).length > 0 && cursor === null && state.sort !== "owner";
  const [first, counted, names] = await Promise.all([
    readPage(tx, scope, search, members, cursor, cursor !== null && state.before, countWithPage),
    countWithPage ? null : leadListTotal(tx, scope, search),
    members,
  ]);
  const total: LeadTotal = counted ?? { kind: "exact", value: (first !== "stale" && first.matchCount) || 0 };
  let page = first;
  if (page === "stale") {
    notices.push(STALE_PAGE_NOTICE);
    page = await readFirstPage(tx, scope, search, members);
  } else if (page.backwards && !page.more) {
    // Paging back onto the first page (or past rows deleted meanwhile): show it whole.
    page = await readFirstPage(tx, scope, search, members);
  }

  const { rows, more, backwards, fromCursor } = page;
  const head = rows[0];
  const last = rows.at(-1);
  const cursorAt = (row: PageRow) => encodeCursor({ sort: state.sort, dir: state.dir, value: row.sortValue, id: row.id });
  const nextCursor = last && (backwards || more) ? cursorAt(last) : null;
  const prevCursor = head && (backwards ? more : fromCursor) ? cursorAt(head) : null;
  const nameOf = new Map(names.map((m) => [m.userId, m.name]));

  return {
    rows: rows.map(({ sortValue: _, ownerName, ...row }) => ({
      ...row,
      ownerName: row.ownerId ? (ownerName ?? nameOf.get(row.ownerId)) || null : null,
    })),
    nextCursor,
    prevCursor,
    total,
    notices,
  };
}

const STALE_PAGE_NOTICE = "That page link did not fit this view, so the first page is shown.";

/**
 * Few matches: ask the trigram index for them. Many: read the sort order and test each row, a
 * page fills quickly. The planner's estimate of the plain LIKE tells which.
 */
export const SEARCH_INDEX_UP_TO = 20_000;

export async function chooseSearchMode(tx: Executor, scope: LeadQueryScope): Promise<SearchMode> {
  if (searchTerms(scope.state.q).length === 0) return "index";
  return (await estimateMatchingLeads(tx, scope, "scan")) <= SEARCH_INDEX_UP_TO ? "index" : "scan";
}

async function readFirstPage(tx: Executor, scope: LeadQueryScope, search: SearchMode, members: Promise<Member[]>): Promise<Page> {
  const page = await readPage(tx, scope, search, members, null, false);
  if (page === "stale") throw new Error("unreachable: a page without a cursor is never stale");
  return page;
}

/** `ownerName` when the page query read it (column sorts); else from the members (owner sort). */
type PageRow = Omit<LeadListRow, "ownerName"> & { sortValue: SortValue; ownerName?: string | null };
type Page = { rows: PageRow[]; more: boolean; backwards: boolean; fromCursor: boolean; matchCount?: number };

async function readPage(
  tx: Executor,
  scope: LeadQueryScope,
  search: SearchMode,
  members: Promise<Member[]>,
  cursor: LeadCursor | null,
  backwards: boolean,
  countMatches = false,
): Promise<Page | "stale"> {
  const { state } = scope;
  const limit = state.pageSize + 1;
  // The direction the index is read in: the sort's own, or its reverse when paging backwards.
  const ascending = (state.dir === "asc") !== backwards;
  const raw =
    state.sort === "owner"
      ? await readOwnerPage(tx, scope, search, await members, cursor, ascending, limit)
      : await tx.execute<RawRow>(columnPageQuery(scope, cursor, ascending, limit, search, countMatches));
  if (raw === "stale") return raw;
  const more = raw.length > state.pageSize;
  const rows = raw.slice(0, state.pageSize).map(toRow);
  if (backwards) rows.reverse();
  return { rows, more, backwards, fromCursor: cursor !== null, matchCount: raw[0]?.match_count };
}

/** The columns of a row, ISO dates (updated_at to the microsecond: it is the edit version). */
const ROW_COLUMNS = sql`${leads.id} as id, ${leads.firstName} as first_name, ${leads.lastName} as last_name,
  ${leads.title} as title, ${leads.companyId} as company_id, ${leads.companyName} as company_name,
  ${leads.email} as email, ${leads.emailStatus} as email_status, ${leads.status} as status,
  ${leads.ownerId} as owner_id, ${leads.score} as score, ${leads.source} as source, ${leads.sampleData} as sample_data, ${leads.tags} as tags,
  nullif(${leads.sortFitScore}, -1) as fit_score, ${leads.enrichment} ->> 'icebreaker' as icebreaker,
  ${isoMillis(leads.lastActivityAt)} as last_activity_at, ${isoMillis(leads.createdAt)} as created_at,
  to_char(${leads.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as updated_at,
  ${isoMillis(leads.deletedAt)} as deleted_at`;

function isoMillis(column: typeof leads.createdAt | typeof leads.lastActivityAt | typeof leads.deletedAt): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

type RawRow = {
  id: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  company_id: string | null;
  company_name: string | null;
  email: string | null;
  email_status: LeadListRow["emailStatus"];
  status: LeadListRow["status"];
  owner_id: string | null;
  score: number;
  fit_score: number | null;
  icebreaker: string | null;
  source: LeadListRow["source"];
  sample_data: LeadListRow["sampleData"];
  tags: string[];
  last_activity_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  sort_value: SortValue;
  /** The owner's name as the members' list has it ('' for none), read by column sorts' pages. */
  owner_name?: string | null;
  /** Every row matching the filters, before the limit (columnPageQuery's `countMatches`). */
  match_count?: number;
};

function toRow(r: RawRow): PageRow {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    title: r.title,
    companyId: r.company_id,
    companyName: r.company_name,
    email: r.email,
    emailStatus: r.email_status,
    status: r.status,
    ownerId: r.owner_id,
    score: Number(r.score),
    fitScore: r.fit_score === null ? null : Number(r.fit_score),
    icebreaker: r.icebreaker,
    source: r.source,
    sampleData: r.sample_data,
    tags: r.tags,
    lastActivityAt: r.last_activity_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
    sortValue: r.sort_value,
    ...(r.owner_name !== undefined && { ownerName: r.owner_name }),
  };
}

/**
 * The page query of a column sort; exported for the EXPLAIN tests and the benchmark. With
 * `countMatches`, each row also carries the number of all matching rows (a window over the
 * matches before the limit): only for queries that read every match anyway.
 */
export function columnPageQuery(
  scope: LeadQueryScope,
  cursor: LeadCursor | null,
  ascending: boolean,
  limit: number,
  search: SearchMode = "index",
  countMatches = false,
): SQL {
  const sort = scope.state.sort as Exclude<LeadQueryScope["state"]["sort"], "owner">;
  const { key, param } = COLUMN_SORTS[sort];
  const dir = ascending ? sql`asc` : sql`desc`;
  const after = cursor
    ? sql` and (${key}, ${leads.id}) ${ascending ? sql`>` : sql`<`} (${param(cursor.value)}, ${cursor.id}::uuid)`
    : sql``;
  const where = sql`${matchingLeadsCondition(scope, search)}${after}`;
  const matchCount = countMatches ? sql`, count(*) over ()::int as match_count` : sql``;
  const order = sql`order by ${key} ${dir}, ${leads.id} ${dir}`;
  const columns = sql`${ROW_COLUMNS}, ${sortValueSelect(sort)} as sort_value, ${ownerNameOf(scope.workspaceId)} as owner_name`;
  if (search === "index" && searchTerms(scope.state.q).length > 0) {
    // The search's matches are all read and sorted (up to SEARCH_INDEX_UP_TO of them): only their
    // ids and sort keys go through the sort (and the count), and the page's rows are read again by
    // key for their columns. Formatting every match's columns before the sort made a page of a
    // company's 3,901 leads at a million take 72 ms, against 60 ms this way (p50, bench:leads's
    // data, 2026-12-05).
    return sql`
      select ${columns}${countMatches ? sql`, page.match_count` : sql``}
      from (select ${leads.id} as id${matchCount} from ${leads} where ${where} ${order} limit ${limit}) page
      join ${leads} on ${leads.id} = page.id
      ${order}`;
  }
  return sql`
    select ${columns}${matchCount}
    from ${leads}
    where ${where}
    ${order}
    limit ${limit}`;
}

/**
 * The owner's name in the page query itself, one statement fewer than reading the members
 * beside it: PostgreSQL computes it only for the rows the LIMIT lets through (two index
 * lookups each, about 0.1 ms for a page of 50), and a former member's leads show no name, as
 * in the owner filter. Names as membersByName words them.
 */
export function ownerNameOf(workspaceId: string): SQL {
  return sql`(select coalesce(nullif(p.full_name, ''), p.email, '')
    from ${workspaceMembers} m join ${profiles} p on p.id = m.user_id
    where m.workspace_id = ${workspaceId} and m.user_id = ${leads.ownerId})`;
}

/**
 * Owner sorts by the owner's name (unassigned first ascending). The name is in profiles, so no
 * index on leads holds that order; but the members are few and each owner's leads are an index
 * range (workspace_id, owner_id, id): one bounded scan per owner, merged in name order.
 */
async function readOwnerPage(
  tx: Executor,
  scope: LeadQueryScope,
  search: SearchMode,
  members: Member[],
  cursor: LeadCursor | null,
  ascending: boolean,
  limit: number,
): Promise<RawRow[] | "stale"> {
  // Rank 0 is "unassigned"; members follow in name order.
  const groups: (string | null)[] = [null, ...members.map((m) => m.userId)];
  let cursorRank: number | undefined;
  if (cursor) {
    cursorRank = groups.indexOf(cursor.value as string | null);
    if (cursorRank < 0) return "stale";
  }
  const wanted = ownerFilter(scope);
  const where = matchingLeadsCondition(scope, search);
  const dir = ascending ? sql`asc` : sql`desc`;
  const parts: SQL[] = [];
  groups.forEach((owner, rank) => {
    if (wanted && !wanted(owner)) return;
    if (cursorRank !== undefined && (ascending ? rank < cursorRank : rank > cursorRank)) return;
    const inGroup = owner === null ? sql`${leads.ownerId} is null` : sql`${leads.ownerId} = ${owner}::uuid`;
    const after = rank === cursorRank && cursor ? sql` and ${leads.id} ${ascending ? sql`>` : sql`<`} ${cursor.id}::uuid` : sql``;
    parts.push(sql`(select ${ROW_COLUMNS}, ${leads.ownerId}::text as sort_value, ${rank}::int as sort_rank
      from ${leads} where ${where} and ${inGroup}${after}
      order by ${leads.id} ${dir} limit ${limit})`);
  });
  if (parts.length === 0) return [];
  return tx.execute<RawRow>(sql`
    select * from (${sql.join(parts, sql` union all `)}) page
    order by sort_rank ${dir}, id ${dir}
    limit ${limit}`);
}

type Member = { userId: string; name: string };

/** The workspace's members with their names, in the order the owner column sorts: by name (textSortKey), then id. */
async function membersByName(tx: Executor, workspaceId: string): Promise<Member[]> {
  const rows = await tx.execute<{ user_id: string; name: string }>(sql`
    select m.user_id, coalesce(nullif(p.full_name, ''), p.email, '') as name
    from ${workspaceMembers} m left join ${profiles} p on p.id = m.user_id
    where m.workspace_id = ${workspaceId}
    order by ${textSortKey(sql`coalesce(nullif(p.full_name, ''), p.email, '')`)}, m.user_id`);
  return rows.map((r) => ({ userId: r.user_id, name: r.name }));
}

/** With an owner filter, only those owners' groups need reading. */
function ownerFilter({ state, userId }: LeadQueryScope): ((owner: string | null) => boolean) | null {
  if (!state.owner?.length) return null;
  const ids = new Set(state.owner.map((o) => (o === "me" ? userId : o)));
  return (owner) => (owner === null ? ids.has("unassigned") : ids.has(owner));
}
