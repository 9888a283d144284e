import { addDays, daysBetween, type AnalyticsRange } from "./range";

/**
 * How the page's series (sends per period, the pipeline) group the range's days. A chart about
 * 900 px wide shows ~90 points legibly and a table of 90 rows still reads; past that the page
 * drew (and sent as HTML) a point and a row per day, up to 731 of each, three times over. So
 * days up to 92 (a quarter), weeks up to 366 (at most 54 points, a year), months beyond (at
 * most 25, two years).
 */
export type Granularity = "day" | "week" | "month";
export const MAX_DAILY_DAYS = 92;
export const MAX_WEEKLY_DAYS = 366;

export function granularityOf(range: Pick<AnalyticsRange, "from" | "to">): Granularity {
  const days = daysBetween(range.from, range.to) + 1;
  return days <= MAX_DAILY_DAYS ? "day" : days <= MAX_WEEKLY_DAYS ? "week" : "month";
}

/** Monday of the week of a calendar day (weeks run Monday to Sunday, as ISO 8601 has them). */
function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/**
 * The first day of each period of the range, in order, clipped to the range: a week or month
 * the range starts inside of starts at the range's first day. Calendar days of the viewer's
 * zone (the range's own), so a period is [its first day's midnight, the next one's) there.
 */
export function periodStartsOf(range: Pick<AnalyticsRange, "from" | "to">, granularity: Granularity = granularityOf(range)): string[] {
  const starts: string[] = [range.from];
  for (;;) {
    const last = starts.at(-1)!;
    const next =
      granularity === "day" ? addDays(last, 1) : granularity === "week" ? addDays(mondayOf(last), 7) : `${nextMonth(last.slice(0, 7))}-01`;
    if (next > range.to) return starts;
    starts.push(next);
  }
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** A period as the page's tables and CSVs name it: the day, the first day of the week ("Week of"), or the month. */
export function periodLabel(start: string, granularity: Granularity): string {
  return granularity === "month" ? start.slice(0, 7) : start;
}

/** The header of the period column. */
export const PERIOD_HEADERS: Record<Granularity, string> = { day: "Day", week: "Week of", month: "Month" };
export const PERIOD_NOUNS: Record<Granularity, string> = { day: "day", week: "week", month: "month" };
