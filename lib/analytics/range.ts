import { z } from "zod";
import { pgArray } from "@/db/pg-array";
import { LEAD_SOURCES, type LeadSource } from "@/db/schema/lead-enums";
import { nextDay, startOfDay } from "@/lib/leads/day-range";

/** The longest range the page answers: two years of days. */
export const MAX_RANGE_DAYS = 731;
/** The range shown when none is asked for: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;

export type AnalyticsFilters = { campaignId?: string; ownerId?: string; identityId?: string; source?: LeadSource };

/** What the page asked for, corrected: calendar days in the viewer's zone, both included. */
export type AnalyticsRange = {
  from: string;
  to: string;
  timeZone: string;
  /** The instants the range covers: [start, end). */
  start: Date;
  end: Date;
  filters: AnalyticsFilters;
  /** What was corrected, in words for the page. */
  notices: string[];
};

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && validDay(value);
function validDay(value: string) {
  const d = new Date(`${value}T00:00:00Z`);
  return d.toISOString().slice(0, 10) === value;
}
const isZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.length <= 64;
  } catch {
    return false;
  }
};
const uuid = z.uuid();

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Today's date in a zone, as YYYY-MM-DD. One formatter per zone, kept: making one costs about
 * half a millisecond, formatting with it a few microseconds.
 */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // Zones are validated before they get here; the cap only bounds spellings of the same zones.
    if (dayFormats.size >= 1000) dayFormats.clear();
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

type Params = Record<string, string | string[] | undefined>;
const one = (params: Params, key: string) => {
  const v = params[key];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
};

/**
 * Reads the page's search parameters and corrects what is wrong instead of failing: a
 * malformed day falls back to the default, an inverted range is swapped, a range over two years
 * is cut to its last two years, an unknown zone becomes the fallback zone, a filter that is not
 * an id (or a known source) is dropped. Each correction is said in `notices`.
 */
export function parseAnalyticsRange(params: Params, fallbackZone: string, now: Date = new Date()): AnalyticsRange {
  const notices: string[] = [];
  const askedZone = one(params, "tz");
  let timeZone = isZone(fallbackZone) ? fallbackZone : "UTC";
  if (askedZone) {
    if (isZone(askedZone)) timeZone = askedZone;
    else notices.push(`The time zone “${askedZone.slice(0, 64)}” is unknown: days are shown in ${timeZone}.`);
  }
  const today = todayIn(timeZone, now);
  let to = one(params, "to");
  let from = one(params, "from");
  if (to !== undefined && !isDay(to)) {
    notices.push(`The end date “${to.slice(0, 20)}” is not a date (YYYY-MM-DD): today is used.`);
    to = undefined;
  }
  if (from !== undefined && !isDay(from)) {
    notices.push(`The start date “${from.slice(0, 20)}” is not a date (YYYY-MM-DD): the 30 days before the end are used.`);
    from = undefined;
  }
  to ??= today;
  from ??= addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (daysBetween(from, to) < 0) {
    notices.push(`The start date was after the end date: the two were swapped (${to} to ${from}).`);
    [from, to] = [to, from];
  }
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    from = addDays(to, -(MAX_RANGE_DAYS - 1));
    notices.push(`A range is at most two years: it now starts on ${from}.`);
  }

  const filters: AnalyticsFilters = {};
  for (const [key, name] of [
    ["campaign", "campaignId"],
    ["owner", "ownerId"],
    ["identity", "identityId"],
  ] as const) {
    const value = one(params, key);
    if (value === undefined) continue;
    if (uuid.safeParse(value).success) filters[name] = value;
    else notices.push(`The ${key} filter was not understood and is ignored.`);
  }
  const source = one(params, "source");
  if (source !== undefined) {
    if ((LEAD_SOURCES as readonly string[]).includes(source)) filters.source = source as LeadSource;
    else notices.push("The source filter was not understood and is ignored.");
  }
  return { from, to, timeZone, start: startOfDay(from, timeZone), end: startOfDay(nextDay(to), timeZone), filters, notices };
}

/**
 * The instant each of `days` starts in the zone, as a PostgreSQL timestamptz[] literal: the
 * bounds `width_bucket(h.hour, …)` sorts rollup hours into days (or weeks, months: the periods'
 * first days) by, in the database (a range of 180 days has 4,320 hours, times every status or
 * stage: too many rows to send and sort here).
 * Computed with Intl, as the range is, never with the database's tzdata.
 */
export function dayStartsSql(days: string[], timeZone: string): string {
  return pgArray(days.map((day) => startOfDay(day, timeZone).toISOString()));
}

/** The range as search parameters (for links and the CSV export). */
export function rangeSearchParams(range: Pick<AnalyticsRange, "from" | "to" | "timeZone" | "filters">): URLSearchParams {
  const params = new URLSearchParams({ from: range.from, to: range.to, tz: range.timeZone });
  const f = range.filters;
  if (f.campaignId) params.set("campaign", f.campaignId);
  if (f.ownerId) params.set("owner", f.ownerId);
  if (f.identityId) params.set("identity", f.identityId);
  if (f.source) params.set("source", f.source);
  return params;
}
