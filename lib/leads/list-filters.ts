import { and, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { companies, leads } from "@/db/schema";
import { LEAD_STATUSES } from "@/db/schema/lead-enums";
import { nextDay, startOfDay } from "./day-range";
import type { LeadListState } from "./list-state";
import { pgArray } from "@/db/pg-array";

export type LeadQueryScope = { workspaceId: string; userId: string; state: LeadListState };

/**
 * How the search is asked. `index`: the ids the trigram index finds (private.search_lead_ids),
 * right when few leads match. `scan`: LIKE on each row read, right when many match and a page
 * fills after a few hundred rows of the sort order. (Under RLS LIKE cannot be an index
 * condition, so the plain query cannot choose between them itself; see 0013_lead_search_ids.)
 */
export type SearchMode = "index" | "scan";

/**
 * The WHERE of the lead table for a state: the workspace, live or deleted leads, every filter
 * and the search. The same condition serves the page, its total, and "all N matching this
 * filter" (bulk actions, export), so what a person sees is what those touch. It names the
 * `leads` table's columns unaliased, so it fits a SELECT, an UPDATE or a DELETE on `leads`.
 *
 * The workspace is compared explicitly (STYLE.md §3) as well as by RLS: the planner estimates
 * from it and the indexes lead with it.
 */
export function matchingLeadsCondition({ workspaceId, userId, state }: LeadQueryScope, search: SearchMode = "index"): SQL {
  const parts: (SQL | undefined)[] = [
    eq(leads.workspaceId, workspaceId),
    state.deleted ? isNotNull(leads.deletedAt) : isNull(leads.deletedAt),
  ];

  // By the status's rank: smallint equality is leakproof, so under RLS an index can use it (enum
  // equality is not), e.g. leads_filter_country_status_idx with a country filter.
  if (state.status?.length) {
    const ranks = state.status.map((s) => String(LEAD_STATUSES.indexOf(s)));
    parts.push(sql`${leads.sortStatus} = any(${pgArray(ranks)}::smallint[])`);
  }
  if (state.source?.length) parts.push(sql`${leads.source} = any(${pgArray(state.source)}::public.lead_source[])`);
  if (state.emailStatus?.length) parts.push(sql`${leads.emailStatus} = any(${pgArray(state.emailStatus)}::public.email_status[])`);
  if (state.owner?.length) parts.push(ownerCondition(state.owner, userId));
  if (state.tags?.length) {
    // Without regard to case, as a lead's tags are one tag whatever their case (leads_tags_unique_ci):
    // "vip" finds the leads tagged "VIP". Both arrays are lowered whole through their text form, a
    // third of the cost of lowering tag by tag, with statistics on the same expression for the
    // planner's estimates (0121_lead_tags_filter_ci).
    const lowered = sql`lower(${leads.tags}::text)::text[]`;
    const tags = sql`lower(${pgArray(state.tags)})::text[]`;
    parts.push(state.tagMode === "all" ? sql`${lowered} @> ${tags}` : sql`${lowered} && ${tags}`);
  }
  if (state.scoreMin !== undefined) parts.push(sql`${leads.score} >= ${state.scoreMin}`);
  if (state.scoreMax !== undefined) parts.push(sql`${leads.score} <= ${state.scoreMax}`);
  // The stored sort column (-1 without a score): a plain smallint comparison, leakproof under RLS.
  if (state.fitMin !== undefined) parts.push(sql`${leads.sortFitScore} >= ${state.fitMin}`);
  if (state.fitMax !== undefined) parts.push(sql`${leads.sortFitScore} between 0 and ${state.fitMax}`);
  if (state.hasIcebreaker !== undefined)
    parts.push(state.hasIcebreaker ? sql`${leads.sortIcebreaker} <> ''` : sql`${leads.sortIcebreaker} = ''`);
  if (state.hasEmail !== undefined) parts.push(state.hasEmail ? isNotNull(leads.email) : isNull(leads.email));
  // Without regard to case, as typed: "france" finds "France" (the stored lower-case key, indexed with the status).
  if (state.country?.length) parts.push(sql`${leads.countryKey} = any(lower(${pgArray(state.country)})::text[])`);
  parts.push(companyCondition(workspaceId, state));

  const tz = state.tz ?? "UTC";
  parts.push(dayRange(leads.createdAt, state.createdFrom, state.createdTo, tz));
  parts.push(dayRange(leads.lastActivityAt, state.activityFrom, state.activityTo, tz));
  parts.push(searchCondition(workspaceId, state.q, search));

  return and(...parts) as SQL;
}

function ownerCondition(owner: readonly string[], userId: string): SQL {
  const ids = [...new Set(owner.filter((o) => o !== "unassigned").map((o) => (o === "me" ? userId : o)))];
  const conditions: SQL[] = [];
  if (ids.length > 0) conditions.push(sql`${leads.ownerId} = any(${pgArray(ids)}::uuid[])`);
  if (owner.includes("unassigned")) conditions.push(isNull(leads.ownerId));
  return conditions.length === 1 ? conditions[0]! : sql`(${sql.join(conditions, sql` or `)})`;
}

/** Company size and industry are the company's columns: leads of the companies that match. */
function companyCondition(workspaceId: string, state: LeadListState): SQL | undefined {
  const parts: SQL[] = [];
  if (state.sizeMin !== undefined) parts.push(sql`c.employee_count >= ${state.sizeMin}`);
  if (state.sizeMax !== undefined) parts.push(sql`c.employee_count <= ${state.sizeMax}`);
  // Without regard to case, as the country: by the stored key, which companies_workspace_industry_idx holds.
  if (state.industry?.length) parts.push(sql`c.industry_key = any(lower(${pgArray(state.industry)})::text[])`);
  if (parts.length === 0) return undefined;
  return sql`${leads.companyId} in (select c.id from ${companies} c where c.workspace_id = ${workspaceId} and ${sql.join(parts, sql` and `)})`;
}

/** Inclusive calendar days in the viewer's zone: from the start of `from` to the start of the day after `to`. */
function dayRange(
  column: typeof leads.createdAt | typeof leads.lastActivityAt,
  from: string | undefined,
  to: string | undefined,
  tz: string,
) {
  const parts: SQL[] = [];
  if (from) parts.push(sql`${column} >= ${startOfDay(from, tz).toISOString()}::timestamptz`);
  if (to) parts.push(sql`${column} < ${startOfDay(nextDay(to), tz).toISOString()}::timestamptz`);
  return parts.length ? and(...parts) : undefined;
}

/**
 * Every word of the search must appear in the lead's search text (names, email, company,
 * title, lower-cased and unaccented by the database). Words of three characters or more are what the trigram
 * index can answer; LIKE's wildcards in the input are matched literally.
 */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const words = q
    .toLowerCase()
    // Commas and semicolons separate words ("smith, john"), as spaces do.
    .split(/[\s,;]+/)
    .map(unquoted)
    .filter(Boolean);
  return [...new Set(words)].slice(0, 8);
}

/**
 * Quotes around a word ("o'brien", «Müller», 'smith') are not part of it. An apostrophe is,
 * unless it wraps the word: "o'" still looks for O'Brien, not for every "o".
 */
function unquoted(word: string): string {
  const bare = word.replace(/^["“”„«»]+|["“”„«»]+$/g, "");
  return bare.length >= 2 && /^['‘’]/.test(bare) && /['‘’]$/.test(bare) ? bare.slice(1, -1) : bare;
}

function searchCondition(workspaceId: string, q: string | undefined, mode: SearchMode): SQL | undefined {
  // Longest first: the helper answers the first from the index and filters by the others.
  const patterns = searchTerms(q)
    .sort((a, b) => b.length - a.length)
    .map((t) => `%${t.replace(/[\\%_]/g, "\\$&")}%`);
  if (patterns.length === 0) return undefined;
  // Unaccented as the search text is ("zoë" finds "Zoe" and "zoe" finds "Zoë"), by the same function.
  if (mode === "scan") return and(...patterns.map((p) => sql`${leads.searchText} like private.unaccent_text(${p})`));
  return sql`${leads.id} in (select private.search_lead_ids(${workspaceId}::uuid,
    array(select private.unaccent_text(p) from unnest(${pgArray(patterns)}::text[]) with ordinality w(p, n) order by n)))`;
}
