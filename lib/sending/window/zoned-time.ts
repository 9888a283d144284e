/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl (the ICU tz database Node
 * ships): the instant → local time direction is Intl's; the local time → instant direction
 * probes the offsets a day either side (as Temporal's GetPossibleEpochNanoseconds does), so a
 * local time in a spring-forward gap has no instant and one in a fall-back hour has two.
 * Pure and browser-safe.
 */

/** A calendar date in some zone (month 1–12). */
export type LocalDate = { year: number; month: number; day: number };

/** The wall clock of an instant in a zone; `weekday` is ISO (1 = Monday … 7 = Sunday). */
export type WallClock = LocalDate & { minuteOfDay: number; weekday: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    // Throws a RangeError for a zone Intl does not know: better than sending at a guessed hour.
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows the zone (the database checks only the column's length). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// "3/8/2026, 02:30:00" from en-US with h23; format() is several times faster than formatToParts().
const LOCAL_TIME = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

/** The instant's local date and time, as milliseconds of a UTC clock showing the same digits. */
function localMs(ms: number, timeZone: string): number {
  const text = formatFor(timeZone).format(ms);
  const match = LOCAL_TIME.exec(text);
  if (!match) throw new RangeError(`Unexpected local time "${text}" in ${timeZone}.`);
  const [, month, day, year, hour, minute, second] = match.map(Number) as number[];
  const utc = Date.UTC(year!, month! - 1, day!, hour! % 24, minute!, second!);
  // Date.UTC maps years 0–99 to 1900–1999; no sending date is there, but stay exact.
  return (year! < 100 ? new Date(utc).setUTCFullYear(year!) : utc) + (((ms % 1000) + 1000) % 1000);
}

// Leads of one zone probe the same instants (a day's bounds, a window's opening): remember a
// few thousand answers rather than ask ICU again (each ask costs several microseconds).
const offsets = new Map<string, number>();

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function offsetAt(ms: number, timeZone: string): number {
  const key = `${timeZone} ${ms}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = localMs(ms, timeZone) - ms;
    if (offsets.size >= 4096) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

export function wallClock(instant: Date | number, timeZone: string): WallClock {
  const local = new Date(localMs(+instant, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
    weekday: local.getUTCDay() || 7,
  };
}

/** The local date as `YYYY-MM-DD` (a PostgreSQL `date`). */
export function formatLocalDate(date: LocalDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

export function localDateOf(instant: Date | number, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(instant, timeZone);
  return { year, month, day };
}

/** The date `days` later (or earlier) on the calendar; ISO weekday included. */
export function addLocalDays(date: LocalDate, days: number): LocalDate & { weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() || 7 };
}

export function isoWeekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
}

function wallMs(date: LocalDate, minuteOfDay: number): number {
  return Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE;
}

/**
 * Every instant whose local time is `minuteOfDay` on `date`, earliest first: one normally,
 * none inside a spring-forward gap, two in a fall-back hour.
 */
export function instantsAt(date: LocalDate, minuteOfDay: number, timeZone: string): number[] {
  const wall = wallMs(date, minuteOfDay);
  // No zone's offset exceeds ±14 h, so the offsets a day either side of the wall time read
  // as UTC are the ones in force before and after any transition near it.
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  if (before === after) return [wall - before];
  const found: number[] = [];
  for (const offset of [before, after]) {
    const candidate = wall - offset;
    if (localMs(candidate, timeZone) === wall && !found.includes(candidate)) found.push(candidate);
  }
  return found.sort((a, b) => a - b);
}

/**
 * The first instant whose local time is at or after `minuteOfDay` on `date`: the time itself,
 * or, when the clocks skip it, the moment they jump (the end of the gap). Used for the start
 * of a day or of a window, which must not slide later by the gap's length.
 */
export function firstInstantFrom(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const exact = instantsAt(date, minuteOfDay, timeZone);
  if (exact.length > 0) return exact[0]!;
  const wall = wallMs(date, minuteOfDay);
  // In a gap: the offset before the jump is the smaller one. Read as that offset the wall time
  // lands after the jump; read as the later one, before it. The jump lies between.
  let before = wall - offsetAt(wall + DAY, timeZone);
  let after = wall - offsetAt(wall - DAY, timeZone);
  if (before > after) [before, after] = [after, before];
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (localMs(mid, timeZone) >= wall) after = mid;
    else before = mid;
  }
  return after;
}

/** The first instant of the day after `date` (its midnight, or when the clocks jump past it). */
export function nextLocalDayStart(date: LocalDate, timeZone: string): number {
  return firstInstantFrom(addLocalDays(date, 1), 0, timeZone);
}

/**
 * The instant at `minuteOfDay` on `date` as Temporal's default ("compatible") reads it: the
 * earlier of a repeated time, and a skipped time moved later by the gap's length (02:30 on a
 * spring-forward night in New York is 03:30 EDT), so a delay keeps its length.
 */
export function compatibleInstant(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const exact = instantsAt(date, minuteOfDay, timeZone);
  if (exact.length > 0) return exact[0]!;
  const wall = wallMs(date, minuteOfDay);
  return wall - offsetAt(wall - DAY, timeZone);
}

export const MS = { MINUTE, HOUR, DAY } as const;
