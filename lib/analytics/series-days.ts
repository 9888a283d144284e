const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Which UTC days a series can read whole from a daily rollup, and which it must read by the hour. */
export type SeriesDays = {
  /** The first and last UTC day (its first instant) read from the daily table; every day between them not in `split` is whole. */
  whole: { first: Date; last: Date } | null;
  /** The UTC days read hour by hour: a period starts inside them, or the range does, or ends. */
  split: Date[];
};

/**
 * Splits the UTC days under a series' hours. An hourly row belongs to the period its hour starts
 * in (`width_bucket(hour, bounds)`, bounds[0] being the range's start) and counts when
 * start <= hour < end. A UTC day whose 24 hours are all in the range and in one period is
 * "whole": its row in the daily rollup (the sum of those hours) goes to that period as it is.
 * Any other day with an hour in the range is "split" and read from the hourly rollup. A period in
 * a zone other than UTC starts in the middle of a UTC day, so a series of weeks or months reads
 * a day per boundary by the hour and the rest by the day: about 24 times fewer rows.
 */
export function splitSeriesDays(bounds: readonly Date[], end: Date): SeriesDays {
  const starts = bounds.map((b) => b.getTime());
  const start = starts[0]!;
  const stop = end.getTime();
  const periodOf = (hour: number) => {
    let i = -1;
    while (i + 1 < starts.length && starts[i + 1]! <= hour) i++;
    return i;
  };
  const split: Date[] = [];
  let first: number | null = null;
  let last: number | null = null;
  for (let day = Math.floor(start / DAY) * DAY; day < stop; day += DAY) {
    let inRange = 0;
    const periods = new Set<number>();
    for (let hour = day; hour < day + DAY; hour += HOUR) {
      if (hour < start || hour >= stop) continue;
      inRange++;
      periods.add(periodOf(hour));
    }
    if (inRange === 0) continue;
    if (inRange === 24 && periods.size === 1) {
      first ??= day;
      last = day;
    } else split.push(new Date(day));
  }
  return { whole: first === null || last === null ? null : { first: new Date(first), last: new Date(last) }, split };
}
