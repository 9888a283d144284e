import { z } from "zod";
import { EMAIL_STATUSES, LEAD_SOURCES, LEAD_STATUSES } from "@/db/schema/lead-enums";
import { splitListValues } from "./list-values";
import {
  DEFAULT_LEAD_LIST_STATE,
  LEAD_COLUMNS,
  LEAD_LIST_PARAMS,
  LEAD_SORTS,
  PAGE_SIZES,
  type LeadListParam,
  type LeadListState,
} from "./list-state-shape";

export * from "./list-state-shape";

/**
 * The lead table's whole state as the URL holds it (DESIGN.md §9: share a view by link,
 * back/forward work). One module for both directions: the page parses `searchParams` with
 * `parseLeadListState`, links and the toolbar build URLs with `leadListSearchParams`, and a
 * saved view stores the same object. Pure: runs in the browser and on the server.
 *
 * The state's shape and the serializer live in list-state-shape.ts (no zod: browser code imports
 * that); this module adds the parser.
 *
 * Every parameter is parsed on its own: a malformed one is dropped and named in `notices`, so
 * a hand-edited link still shows a table (never a 500) and says what it ignored.
 */

// The messages reach a program's author through the REST API (the page drops a bad parameter and names it instead).
// Four-digit years whose next day is one too: a "to" day covers up to the start of the next
// (list-filters.ts), and the day after 9999-12-31 is no YYYY-MM-DD day (it threw, failing the
// page, the API, exports and every campaign built on a view saved with it).
const day = z.iso
  .date({ error: "Use a day as YYYY-MM-DD." })
  .refine((d) => d >= "1000-01-01" && d <= "9998-12-31", { error: "Use a day between 1000-01-01 and 9998-12-31." });
const list = <T extends z.ZodType<unknown, string>>(item: T, max = 50) =>
  z
    .string()
    .transform(splitListValues)
    .pipe(z.array(item).min(1, "Give at least one value (comma-separated).").max(max, `Give at most ${max} values.`));
const intIn = (min: number, max: number) => {
  const error = `Use a whole number from ${min} to ${max}.`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const text = (max: number) =>
  z.string().trim().min(1, "Leave the parameter out rather than empty.").max(max, `Use at most ${max} characters.`);
const ownerError = "Use `me`, `unassigned` or a member's user id.";
const ownerRef = z.union([z.literal("me"), z.literal("unassigned"), z.uuid({ error: ownerError })], { error: ownerError });
const timeZone = text(64).refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: "Use an IANA time zone, like Europe/Paris." },
);

/** Rows per page of the lead and company tables (and their API lists): one of PAGE_SIZES. */
export const ZPageSize = z.coerce.number().pipe(
  z.union(PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>], {
    error: `Use ${PAGE_SIZES.slice(0, -1).join(", ")} or ${PAGE_SIZES.at(-1)} rows per page.`,
  }),
);

/** One zod schema per URL parameter; the key is the parameter's name. The REST API's list takes the same (lib/public-api/lead-schemas.ts). */
export const LEAD_LIST_PARAM_SCHEMAS = {
  q: text(200),
  status: list(z.enum(LEAD_STATUSES)),
  owner: list(ownerRef),
  source: list(z.enum(LEAD_SOURCES)),
  tags: list(text(50)),
  tagMode: z.enum(["any", "all"]),
  scoreMin: intIn(0, 100),
  scoreMax: intIn(0, 100),
  fitMin: intIn(0, 100),
  fitMax: intIn(0, 100),
  hasIcebreaker: z.enum(["yes", "no"]).transform((v) => v === "yes"),
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
  deleted: z.enum(["1"], { error: "Use 1, or leave it out for the live leads." }).transform(() => true),
  sort: z.enum(LEAD_SORTS),
  dir: z.enum(["asc", "desc"]),
  pageSize: ZPageSize,
  // A cursor carries its row's sort key: up to 300 characters of a title, company or icebreaker,
  // three UTF-8 bytes each in many languages, in base64url (list-cursor.ts).
  cursor: z.string().min(1).max(4096),
  before: z.enum(["1"], { error: "Use 1 to page backwards from `cursor`, or leave it out." }).transform(() => true),
  columns: list(z.enum(LEAD_COLUMNS), LEAD_COLUMNS.length).refine((c) => new Set(c).size === c.length),
} satisfies { [K in LeadListParam]-?: z.ZodType };

type ParamName = LeadListParam;

const PARAM_LABELS: Record<ParamName, string> = {
  q: "search",
  status: "status",
  owner: "owner",
  source: "source",
  tags: "tags",
  tagMode: "tag match",
  scoreMin: "minimum score",
  scoreMax: "maximum score",
  fitMin: "minimum fit score",
  fitMax: "maximum fit score",
  hasIcebreaker: "has icebreaker",
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

/** `ignored`: the labels of the parameters that could not be used ("status", "score range"). */
export type ParsedLeadListState = { state: LeadListState; notices: string[]; ignored: string[] };

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
  for (const name of LEAD_LIST_PARAMS) {
    const raw = firstValue(input, name);
    if (raw === undefined || raw === "") continue;
    // PostgreSQL stores no NUL in text: a filter holding one would fail the page's statement.
    if (raw.includes("\u0000")) {
      ignored.push(PARAM_LABELS[name]);
      continue;
    }
    const parsed = LEAD_LIST_PARAM_SCHEMAS[name].safeParse(raw);
    if (parsed.success) (state as Record<string, unknown>)[name] = parsed.data;
    else ignored.push(PARAM_LABELS[name]);
  }
  for (const [min, max, label] of [
    ["scoreMin", "scoreMax", "score range"],
    ["fitMin", "fitMax", "fit score range"],
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
  return { state, notices, ignored };
}
