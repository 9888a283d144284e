import { z } from "zod";

/** How far back the usage page goes: the ledger is kept, but two years is what anyone asks for. */
export const USAGE_MONTHS_BACK = 24;

export type UsageMonth = {
  /** `YYYY-MM`, in the workspace's time zone. */
  month: string;
  previous: string | null;
  next: string | null;
  /** Why the month asked for was not the one shown, in words; null when it was. */
  notice: string | null;
};

const ZMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

function monthIn(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part("year")}-${part("month")}`;
}

function shift(month: string, by: number): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const index = year * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/**
 * The calendar month the usage page shows, from the `month` search parameter: this month (in
 * the workspace's time zone, as the budget counts) when none is asked for; a malformed, future
 * or too old month is replaced by the nearest one that makes sense, with a notice, never an error.
 */
export function resolveUsageMonth(asked: string | undefined, timeZone: string, now = new Date()): UsageMonth {
  const current = monthIn(timeZone, now);
  const oldest = shift(current, -(USAGE_MONTHS_BACK - 1));
  let month = current;
  let notice: string | null = null;
  if (asked !== undefined && asked !== "") {
    if (!ZMonth.safeParse(asked).success) {
      notice = `"${asked.slice(0, 20)}" is not a month like ${current}: showing this month.`;
    } else if (asked > current) {
      notice = `${asked} has not happened yet: showing this month.`;
    } else if (asked < oldest) {
      month = oldest;
      notice = `Usage goes back ${USAGE_MONTHS_BACK} months: showing ${oldest}, the oldest.`;
    } else {
      month = asked;
    }
  }
  return { month, previous: month > oldest ? shift(month, -1) : null, next: month < current ? shift(month, 1) : null, notice };
}
