import { z } from "zod";
import { EMAIL_STATUSES, LEAD_SOURCES, LEAD_STATUSES } from "@/db/schema/leads";

/**
 * The lead table's whole state as the URL holds it (DESIGN.md §9: share a view by link,
 * back/forward work). One module for both directions: the page parses `searchParams` with
 * `parseLeadListState`, links and the toolbar build URLs with `leadListSearchParams`, and a
 * saved view stores the same object. Pure: runs in the browser and on the server.
 *
 * Every parameter is parsed on its own: a malformed one is dropped and named in `notices`, so
 * a hand-edited link still shows a table (never a 500) and says what it ignored.
 */

export const LEAD_COLUMNS = [
  "name",
  "title",
  "company",
  "email",
  "status",
  "owner",
  "score",
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

const day = z.iso.date();
const list = <T extends z.ZodType<unknown, string>>(item: T, max = 50) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(max));
const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const text = (max: number) => z.string().trim().min(1).max(max);
const ownerRef = z.union([z.literal("me"), z.literal("unassigned"), z.uuid()]);
const timeZone = text(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
});

/** One zod schema per URL parameter; the key is the parameter's name. */
const PARAMS = {
  q: text(200),
  status: list(z.enum(LEAD_STATUSES)),
  owner: list(ownerRef),
  source: list(z.enum(LEAD_SOURCES)),
  tags: list(text(50)),
  tagMode: z.enum(["any", "all"]),
  scoreMin: intIn(0, 100),
  scoreMax: intIn(0, 100),
  hasEmail: z.enum(["yes", "no"]).transform((v) => v === "yes"),
  emailStatus: list(z.enum(EMAIL_STATUSES)),
  sizeMin: intIn(0, 10_000_000),
  sizeMax: intIn(0, 10_000_000),
  industry: list(text(100)),
  country: list(text(100)),
  createdFrom: day,
  createdTo: day,
  activityFrom: day,
  activityTo: day,
  tz: timeZone,
  deleted: z.enum(["1"]).transform(() => true),
  sort: z.enum(LEAD_SORTS),
  dir: z.enum(["asc", "desc"]),
  pageSize: z.coerce.number().pipe(z.union(PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>])),
  cursor: z.string().min(1).max(500),
  before: z.enum(["1"]).transform(() => true),
  columns: list(z.enum(LEAD_COLUMNS), LEAD_COLUMNS.length).refine((c) => new Set(c).size === c.length),
} satisfies { [K in keyof LeadListState]-?: z.ZodType };

type ParamName = keyof typeof PARAMS;

const PARAM_LABELS: Record<ParamName, string> = {
  q: "search",
  status: "status",
  owner: "owner",
  source: "source",
  tags: "tags",
  tagMode: "tag match",
  scoreMin: "minimum score",
  scoreMax: "maximum score",
  hasEmail: "has email",
  emailStatus: "email status",
  sizeMin: "minimum company size",
  sizeMax: "maximum company size",
  industry: "industry",
  country: "country",
  createdFrom: "created from",
  createdTo: "created to",
  activityFrom: "last activity from",
  activityTo: "last activity to",
  tz: "time zone",
  deleted: "deleted",
  sort: "sort",
  dir: "sort direction",
  pageSize: "page size",
  cursor: "page",
  before: "page direction",
  columns: "columns",
};

export type ParsedLeadListState = { state: LeadListState; notices: string[] };

type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function firstValue(input: SearchParamsInput, name: string): string | undefined {
  if (input instanceof URLSearchParams) return input.get(name) ?? undefined;
  const value = input[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The state a URL (or a saved view's stored params) describes; what it could not use is in `notices`. */
export function parseLeadListState(input: SearchParamsInput): ParsedLeadListState {
  const state: LeadListState = { ...DEFAULT_LEAD_LIST_STATE, columns: [...DEFAULT_LEAD_LIST_STATE.columns] };
  const ignored: string[] = [];
  for (const name of Object.keys(PARAMS) as ParamName[]) {
    const raw = firstValue(input, name);
    if (raw === undefined || raw === "") continue;
    const parsed = PARAMS[name].safeParse(raw);
    if (parsed.success) (state as Record<string, unknown>)[name] = parsed.data;
    else ignored.push(PARAM_LABELS[name]);
  }
  for (const [min, max, label] of [
    ["scoreMin", "scoreMax", "score range"],
    ["sizeMin", "sizeMax", "company size range"],
    ["createdFrom", "createdTo", "created range"],
    ["activityFrom", "activityTo", "last activity range"],
  ] as const) {
    const lo = state[min];
    const hi = state[max];
    if (lo !== undefined && hi !== undefined && lo > hi) {
      delete state[min];
      delete state[max];
      ignored.push(label);
    }
  }
  if (state.before && !state.cursor) state.before = false;
  const notices = ignored.length > 0 ? [`Ignored a malformed ${ignored.join(", ")} in the link; the rest of the view is applied.`] : [];
  return { state, notices };
}

function serialize(name: ParamName, value: unknown): string | undefined {
  if (name === "hasEmail" && typeof value === "boolean") return value ? "yes" : "no";
  if (value === undefined || value === false) return undefined;
  if (value === true) return "1";
  if (Array.isArray(value)) return value.length > 0 ? value.join(",") : undefined;
  return String(value);
}

/**
 * The URL query for a state, leaving out what equals the default so links stay short. Tag
 * and list values may not contain commas (the list separator); the toolbar refuses them.
 */
export function leadListSearchParams(state: LeadListState): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of Object.keys(PARAMS) as ParamName[]) {
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
