import { EMAIL_STATUSES, LEAD_SOURCES, LEAD_STATUSES } from "@/db/schema/lead-enums";
import { joinListValues } from "./list-values";

/**
 * The lead table's state and its URL form, without the parser: what the browser needs to build
 * links, free of zod and drizzle so the table's bundle stays small. lib/leads/list-state.ts is
 * the contract (it re-exports all of this and adds `parseLeadListState`).
 */

export const LEAD_COLUMNS = [
  "name",
  "title",
  "company",
  "email",
  "status",
  "owner",
  "score",
  "fitScore",
  "icebreaker",
  "source",
  "tags",
  "lastActivity",
  "created",
] as const;
export type LeadColumn = (typeof LEAD_COLUMNS)[number];

export const LEAD_COLUMN_LABELS: Record<LeadColumn, string> = {
  name: "Name",
  title: "Title",
  company: "Company",
  email: "Email",
  status: "Status",
  owner: "Owner",
  score: "Score",
  fitScore: "ICP fit",
  icebreaker: "Icebreaker",
  source: "Source",
  tags: "Tags",
  lastActivity: "Last activity",
  created: "Created",
};

/** Every column sorts; ties are always broken by id in the same direction. */
export const LEAD_SORTS = LEAD_COLUMNS;
export type LeadSort = LeadColumn;

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export const DEFAULT_LEAD_COLUMNS: readonly LeadColumn[] = LEAD_COLUMNS;

export type LeadListState = {
  q?: string;
  status?: (typeof LEAD_STATUSES)[number][];
  /** Member user ids, plus "me" and "unassigned". */
  owner?: string[];
  source?: (typeof LEAD_SOURCES)[number][];
  tags?: string[];
  tagMode: "any" | "all";
  scoreMin?: number;
  scoreMax?: number;
  /** The AI fit score (0–100); a lead without one matches neither bound. */
  fitMin?: number;
  fitMax?: number;
  /** Whether the AI enrichment wrote an icebreaker. */
  hasIcebreaker?: boolean;
  hasEmail?: boolean;
  emailStatus?: (typeof EMAIL_STATUSES)[number][];
  /** The company's employee count. */
  sizeMin?: number;
  sizeMax?: number;
  industry?: string[];
  country?: string[];
  /** Calendar days (YYYY-MM-DD), inclusive, in the viewer's time zone (`tz`). */
  createdFrom?: string;
  createdTo?: string;
  activityFrom?: string;
  activityTo?: string;
  /** The viewer's IANA time zone, for the day ranges above. */
  tz?: string;
  /** Show the soft-deleted leads (the "Deleted" filter, to restore from) instead of live ones. */
  deleted: boolean;
  sort: LeadSort;
  dir: "asc" | "desc";
  pageSize: PageSize;
  /** Opaque keyset cursor written by the list service; `before` pages backwards from it. */
  cursor?: string;
  before: boolean;
  /** Visible columns, in display order. */
  columns: LeadColumn[];
};

export const DEFAULT_LEAD_LIST_STATE: LeadListState = {
  tagMode: "any",
  deleted: false,
  sort: "created",
  dir: "desc",
  pageSize: 50,
  before: false,
  columns: [...DEFAULT_LEAD_COLUMNS],
};

/** Every URL parameter of the table state, in the order links write them. */
export const LEAD_LIST_PARAMS = [
  "q",
  "status",
  "owner",
  "source",
  "tags",
  "tagMode",
  "scoreMin",
  "scoreMax",
  "fitMin",
  "fitMax",
  "hasIcebreaker",
  "hasEmail",
  "emailStatus",
  "sizeMin",
  "sizeMax",
  "industry",
  "country",
  "createdFrom",
  "createdTo",
  "activityFrom",
  "activityTo",
  "tz",
  "deleted",
  "sort",
  "dir",
  "pageSize",
  "cursor",
  "before",
  "columns",
] as const satisfies readonly (keyof LeadListState)[];
export type LeadListParam = (typeof LEAD_LIST_PARAMS)[number];

function serialize(name: LeadListParam, value: unknown): string | undefined {
  if ((name === "hasEmail" || name === "hasIcebreaker") && typeof value === "boolean") return value ? "yes" : "no";
  if (value === undefined || value === false) return undefined;
  if (value === true) return "1";
  if (Array.isArray(value)) return value.length > 0 ? joinListValues(value as string[]) : undefined;
  return String(value);
}

/**
 * The URL query for a state, leaving out what equals the default so links stay short. A list
 * value that holds a comma is quoted (list-values.ts); tags may not hold one (the toolbar refuses them).
 */
export function leadListSearchParams(state: LeadListState): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of LEAD_LIST_PARAMS) {
    const value = state[name];
    const fallback = DEFAULT_LEAD_LIST_STATE[name];
    if (JSON.stringify(value) === JSON.stringify(fallback)) continue;
    const encoded = serialize(name, value);
    if (encoded !== undefined) params.set(name, encoded);
  }
  return params;
}

/** A state with the filters changed: back to the first page, since the old cursor means nothing. */
export function withFilters(state: LeadListState, change: Partial<LeadListState>): LeadListState {
  return { ...state, ...change, cursor: undefined, before: false };
}
