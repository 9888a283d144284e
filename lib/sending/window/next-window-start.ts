import { addLocalDays, instantsAt, localDateOf, MS, offsetAt, wallClock, type LocalDate } from "./zoned-time";

/** When a mailbox may send, in the recipient's local time: ISO weekdays and [from, until) minutes. */
export type SendingWindow = { days: readonly number[]; fromMinute: number; untilMinute: number };

export function isInWindow(instant: Date | number, window: SendingWindow, timeZone: string): boolean {
  const local = wallClock(instant, timeZone);
  return window.days.includes(local.weekday) && local.minuteOfDay >= window.fromMinute && local.minuteOfDay < window.untilMinute;
}

// A window of one minute on one weekday may miss a week to a DST gap; three weeks cannot all.
const DAYS_SEARCHED = 22;

/**
 * The first instant at or after `earliest` whose local time in `timeZone` is on one of the
 * window's days and within its minutes: `earliest` itself when it is inside. Local time, not
 * elapsed time: 09:00 stays 09:00 across a DST change, a window opening in a spring-forward gap
 * opens when the clocks jump, and in a fall-back hour the repeated minutes count again.
 */
export function nextWindowStart(earliest: Date, window: SendingWindow, timeZone: string): Date {
  assertWindow(window);
  const from = earliest.getTime();
  if (isInWindow(from, window, timeZone)) return earliest;
  const firstDay = localDateOf(from, timeZone);
  // From the day before: where clocks go back across midnight, yesterday's late minutes recur.
  for (let offset = -1; offset < DAYS_SEARCHED; offset++) {
    const date = addLocalDays(firstDay, offset);
    if (!window.days.includes(date.weekday)) continue;
    const opening = windowOpenings(date, window, timeZone).find((instant) => instant >= from);
    if (opening !== undefined) return new Date(opening);
  }
  throw new RangeError(`No sending time in ${timeZone} for this window within ${DAYS_SEARCHED} days.`);
}

/**
 * The instants on `date` where the local time enters the window: each occurrence of its
 * opening minute (none when a gap swallows it, two in a fall-back hour), and the day's clock
 * change when it lands inside the window (the jump past a swallowed opening, or clocks set
 * back into the window).
 */
function windowOpenings(date: LocalDate, window: SendingWindow, timeZone: string): number[] {
  const day = transitionOn(date, timeZone);
  // Most days: one offset all day, one opening.
  if (day.transition === undefined) return [Date.UTC(date.year, date.month - 1, date.day) + window.fromMinute * MS.MINUTE - day.offset];
  const openings = instantsAt(date, window.fromMinute, timeZone);
  openings.push(day.transition);
  return openings
    .filter((instant) => {
      const local = wallClock(instant, timeZone);
      return (
        local.year === date.year &&
        local.month === date.month &&
        local.day === date.day &&
        local.minuteOfDay >= window.fromMinute &&
        local.minuteOfDay < window.untilMinute
      );
    })
    .sort((a, b) => a - b);
}

/**
 * The instant the zone's offset changes around `date`, if it does (at most once a day in
 * tzdata), else the offset in force all day.
 */
function transitionOn(date: LocalDate, timeZone: string): { offset: number; transition?: number } {
  const midnight = Date.UTC(date.year, date.month - 1, date.day);
  // The local day lies within these instants whatever the offset (±14 h).
  let before = midnight - 15 * MS.HOUR;
  let after = midnight + MS.DAY + 15 * MS.HOUR;
  const offsetBefore = offsetAt(before, timeZone);
  if (offsetAt(after, timeZone) === offsetBefore) return { offset: offsetBefore };
  while (after - before > MS.MINUTE) {
    const mid = before + Math.floor((after - before) / 2 / MS.MINUTE) * MS.MINUTE;
    if (offsetAt(mid, timeZone) === offsetBefore) before = mid;
    else after = mid;
  }
  return { offset: offsetBefore, transition: after };
}

function assertWindow(window: SendingWindow): void {
  if (!window.days.some((day) => Number.isInteger(day) && day >= 1 && day <= 7)) {
    throw new RangeError("A sending window needs at least one weekday (1 = Monday … 7 = Sunday).");
  }
  if (!(window.fromMinute >= 0 && window.fromMinute < window.untilMinute && window.untilMinute <= 1440)) {
    throw new RangeError("A sending window runs from a minute of the day to a later one (0–1440).");
  }
}
