/** The rollups' sub-day grain (migration 0085): a quarter hour, the unit every zone's offset is a multiple of. */
export const QUARTER = 15 * 60_000;
const DAY = 86_400_000;

/** Which UTC days a series can read whole from a daily rollup, and which it must read by the quarter hour. */
export type SeriesDays = {
  /** The first and last UTC day (its first instant) read from the daily table; every day between them not in `split` is whole. */
  whole: { first: Date; last: Date } | null;
  /** The UTC days read quarter hour by quarter hour: a period starts inside them, or the range does, or ends. */
  split: Date[];
};

/**
 * Splits the UTC days under a series' quarter hours. A sub-day row (its `hour` column is the
 * first instant of a UTC quarter hour) belongs to the period it starts in
 * (`width_bucket(hour, bounds)`, bounds[0] being the range's start) and counts when
 * start <= hour < end; every zone's midnight falls on a quarter hour, so that is the period its
 * facts happened in. A UTC day whose quarter hours are all in the range and in one period is
 * "whole": its row in the daily rollup goes to that period as it is. Any other day with a quarter
 * hour in the range is "split" and read from the sub-day rollup. A period in a zone other than
 * UTC starts in the middle of a UTC day, so a series of weeks or months reads a day per boundary
 * by the quarter hour and the rest by the day.
 */
export function splitSeriesDays(bounds: readonly Date[], end: Date): SeriesDays {
  const starts = bounds.map((b) => b.getTime());
  const start = starts[0]!;
  const stop = end.getTime();
  const split: Date[] = [];
  let first: number | null = null;
  let last: number | null = null;
  // The first bound after the day's start: a day is whole when it is inside [start, stop) and no period starts after its first instant and within it.
  let next = 0;
  for (let day = Math.floor(start / DAY) * DAY; day < stop; day += DAY) {
    const firstQuarter = Math.max(day, Math.ceil(start / QUARTER) * QUARTER);
    if (firstQuarter >= stop || firstQuarter >= day + DAY) continue;
    while (next < starts.length && starts[next]! <= day) next++;
    const whole = day >= start && day + DAY <= stop && (next >= starts.length || starts[next]! >= day + DAY);
    if (whole) {
      first ??= day;
      last = day;
    } else split.push(new Date(day));
  }
  return { whole: first === null || last === null ? null : { first: new Date(first), last: new Date(last) }, split };
}
