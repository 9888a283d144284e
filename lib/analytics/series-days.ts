/**
 * The rollups' sub-day rows are per UTC quarter hour (migration 0085): the unit every zone's
 * offset is a multiple of, so each of them lies in one day of any zone.
 */
const DAY = 86_400_000;

/**
 * How to read the rows of a series (or of a total: one period) with as few sub-day rows as
 * possible. Buckets are numbered as `width_bucket(t, bounds)` numbers them: 1 for the first
 * period, 0 before it.
 */
export type ReadPlan = {
  /**
   * The UTC days read from the daily table: every day from `first` to `last`, a whole one into
   * the bucket its first instant is in, each of `listed` into its own bucket `d` (0: not read).
   */
  days: { first: Date; last: Date; listed: { day: Date; d: number }[] } | null;
  /** Sub-day rows whose quarter hour starts in [lo, hi), added to bucket `add` (null: outside the range) and taken off bucket `sub` (null: none). */
  segments: { lo: Date; hi: Date; add: number | null; sub: number | null }[];
};

/**
 * The read plan of the quarter hours in [bounds[0], end), each into the period it starts in.
 * A UTC day inside one period is read whole from the daily table. A day a period starts in (or
 * the range does, or ends) is cut at those instants: its daily row goes to the period of its
 * longest part and each other part, read from the sub-day table, moves from that period to its
 * own (or leaves it, outside the range). So a day of Berlin reads one or two hours of quarter
 * hours (the UTC day's last), a day of Kolkata five and a half, instead of all 96 of the UTC
 * day; the sums are those of the quarter hours, to the row.
 */
export function planSeriesRead(bounds: readonly Date[], end: Date): ReadPlan {
  const starts = bounds.map((b) => b.getTime());
  const start = starts[0]!;
  const stop = end.getTime();
  const listed: { day: Date; d: number }[] = [];
  const segments: ReadPlan["segments"] = [];
  let first: number | null = null;
  let last: number | null = null;
  let next = 0; // the first bound after the day's first instant
  for (let day = Math.floor(start / DAY) * DAY; day < stop; day += DAY) {
    const dayEnd = day + DAY;
    while (next < starts.length && starts[next]! <= day) next++;
    const cuts = [day, dayEnd];
    for (let i = next; i < starts.length && starts[i]! < dayEnd; i++) cuts.push(starts[i]!);
    if (start > day && start < dayEnd) cuts.push(start);
    if (stop > day && stop < dayEnd) cuts.push(stop);
    const sorted = [...new Set(cuts)].sort((a, b) => a - b);
    const parts: { lo: number; hi: number; d: number | null }[] = [];
    for (let i = 0; i + 1 < sorted.length; i++) {
      const lo = sorted[i]!;
      const d = lo < start || lo >= stop ? null : starts.filter((s) => s <= lo).length;
      parts.push({ lo, hi: sorted[i + 1]!, d });
    }
    if (parts.every((p) => p.d === null)) continue;
    first ??= day;
    last = day;
    if (parts.length === 1) continue; // whole, in the bucket of its first instant
    const main = parts.reduce((a, b) => (b.hi - b.lo > a.hi - a.lo ? b : a));
    listed.push({ day: new Date(day), d: main.d ?? 0 });
    for (const p of parts) {
      if (p === main || p.d === main.d) continue;
      segments.push({ lo: new Date(p.lo), hi: new Date(p.hi), add: p.d, sub: main.d });
    }
  }
  return { days: first === null || last === null ? null : { first: new Date(first), last: new Date(last), listed }, segments };
}
