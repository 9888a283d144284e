import { addLocalDays, compatibleInstant, isoWeekday, MS, wallClock, type LocalDate } from "./zoned-time";

/** A step's delay after the previous one, as the campaign editor stores it. */
export type StepDelay = { delayDays: number; delayHours: number; businessDays: boolean };

/**
 * When a step falls due after `previous` (the previous send, or the enrollment for the first
 * step), before the sending window is applied. Days are calendar days in the lead's zone (as
 * Temporal's ZonedDateTime.add does): "2 days later" keeps the local time of day across a DST
 * change, where adding 48 hours would move it by the change. A local time the clocks skip is
 * read as the same elapsed time past the jump; a repeated one as its first occurrence. Hours are
 * elapsed time, added after the days. Business days count Monday–Friday only: Friday, Saturday
 * or Sunday plus one business day is Monday.
 */
export function stepDueAt(previous: Date, step: StepDelay, timeZone: string): Date {
  if (!Number.isInteger(step.delayDays) || step.delayDays < 0 || !Number.isInteger(step.delayHours) || step.delayHours < 0) {
    throw new RangeError("A step's delay is a whole, non-negative number of days and hours.");
  }
  let due = previous.getTime();
  if (step.delayDays > 0) {
    const local = wallClock(due, timeZone);
    const date = step.businessDays ? addBusinessDays(local, step.delayDays) : addLocalDays(local, step.delayDays);
    // Keep the seconds and milliseconds: a due time never moves earlier than the delay says.
    const withinMinute = (((due % MS.MINUTE) + MS.MINUTE) % MS.MINUTE) as number;
    due = compatibleInstant(date, local.minuteOfDay, timeZone) + withinMinute;
  }
  return new Date(due + step.delayHours * MS.HOUR);
}

function addBusinessDays(start: LocalDate, count: number): LocalDate {
  let date: LocalDate = start;
  let left = count;
  while (left > 0) {
    date = addLocalDays(date, 1);
    if (isoWeekday(date) <= 5) left--;
  }
  return date;
}
