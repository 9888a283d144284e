import { z } from "zod";
import { ZPageSize, type PageSize } from "@/lib/leads/list-state";

/**
 * The company list's state as the URL holds it: search, sort, page size and the keyset cursor.
 * Pure (browser and server). Each parameter is parsed on its own: a malformed one is dropped
 * and named in `notices`, so a hand-edited link still shows the list, never a 500.
 */

export const COMPANY_SORTS = ["name", "size", "leads", "created"] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];

export const COMPANY_SORT_LABELS: Record<CompanySort, string> = {
  name: "Name",
  size: "Size",
  leads: "Leads",
  created: "Created",
};

/** The direction a column sorts in when first clicked: names A→Z, numbers and dates biggest first. */
export const DEFAULT_SORT_DIR: Record<CompanySort, "asc" | "desc"> = { name: "asc", size: "desc", leads: "desc", created: "desc" };

export type CompanyListState = {
  q?: string;
  sort: CompanySort;
  dir: "asc" | "desc";
  pageSize: PageSize;
  /** Opaque keyset cursor written by the list service; `before` pages backwards from it. */
  cursor?: string;
  before: boolean;
};

export const DEFAULT_COMPANY_LIST_STATE: CompanyListState = { sort: "name", dir: "asc", pageSize: 50, before: false };

/** One zod schema per URL parameter; the REST API's company list takes the same (lib/public-api/company-schemas.ts). */
export const COMPANY_LIST_PARAM_SCHEMAS = {
  q: z.string().trim().min(1, "Leave the parameter out rather than empty.").max(200, "Use at most 200 characters."),
  sort: z.enum(COMPANY_SORTS),
  dir: z.enum(["asc", "desc"]),
  pageSize: ZPageSize,
  cursor: z.string().min(1).max(4096),
  before: z.enum(["1"], { error: "Use 1 to page backwards from `cursor`, or leave it out." }).transform(() => true),
} satisfies { [K in keyof CompanyListState]-?: z.ZodType };

type ParamName = keyof typeof COMPANY_LIST_PARAM_SCHEMAS;

const PARAM_LABELS: Record<ParamName, string> = {
  q: "search",
  sort: "sort",
  dir: "sort direction",
  pageSize: "page size",
  cursor: "page",
  before: "page direction",
};

type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function firstValue(input: SearchParamsInput, name: string): string | undefined {
  if (input instanceof URLSearchParams) return input.get(name) ?? undefined;
  const value = input[name];
  return Array.isArray(value) ? value[0] : value;
}

export function parseCompanyListState(input: SearchParamsInput): { state: CompanyListState; notices: string[] } {
  const state: CompanyListState = { ...DEFAULT_COMPANY_LIST_STATE };
  const ignored: string[] = [];
  for (const name of Object.keys(COMPANY_LIST_PARAM_SCHEMAS) as ParamName[]) {
    const raw = firstValue(input, name);
    if (raw === undefined || raw === "") continue;
    // PostgreSQL stores no NUL in text: a search holding one would fail the page's statement.
    if (raw.includes("\u0000")) {
      ignored.push(PARAM_LABELS[name]);
      continue;
    }
    const parsed = COMPANY_LIST_PARAM_SCHEMAS[name].safeParse(raw);
    if (parsed.success) (state as Record<string, unknown>)[name] = parsed.data;
    else ignored.push(PARAM_LABELS[name]);
  }
  if (state.before && !state.cursor) state.before = false;
  const notices = ignored.length > 0 ? [`Ignored a malformed ${ignored.join(", ")} in the link; the rest of the list is applied.`] : [];
  return { state, notices };
}

/** The URL query for a state, leaving out what equals the default so links stay short. */
export function companyListSearchParams(state: CompanyListState): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of Object.keys(COMPANY_LIST_PARAM_SCHEMAS) as ParamName[]) {
    const value = state[name];
    if (value === undefined || value === false || value === DEFAULT_COMPANY_LIST_STATE[name]) continue;
    params.set(name, value === true ? "1" : String(value));
  }
  return params;
}

export function companyListHref(state: CompanyListState): string {
  const query = companyListSearchParams(state).toString();
  return query ? `/companies?${query}` : "/companies";
}

/** Sorted by `sort` from the first page; a second click on the current column flips the direction. */
export function withSort(state: CompanyListState, sort: CompanySort): CompanyListState {
  const dir = state.sort === sort ? (state.dir === "asc" ? "desc" : "asc") : DEFAULT_SORT_DIR[sort];
  return { ...state, sort, dir, cursor: undefined, before: false };
}
