/**
 * Whether a timestamp written as text (a keyset cursor's sort key, which comes back from the
 * URL) is one PostgreSQL will read as a timestamptz: `YYYY-MM-DD`, `T` or a space, the time to
 * at most the microsecond, and `Z` or an offset such as `+02`, `+05:30` or `-03:30:00`.
 *
 * Date.parse alone is not enough: it rolls 30 February over into March and takes year 0 and
 * hour 24, where PostgreSQL refuses the cast ("date/time field value out of range") and the page
 * reading the cursor would fail. So the calendar fields must come back unchanged.
 */
export function isTimestampText(text: string): boolean {
  const match = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d{1,6})?(Z|[+-](\d\d)(?::?(\d\d)(?::?(\d\d))?)?)$/.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year === 0 || hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  // PostgreSQL's offsets stop short of 16 hours.
  const [offsetHours, offsetMinutes = "0", offsetSeconds = "0"] = match.slice(9, 12);
  return match[8] === "Z" || (Number(offsetHours) < 16 && Number(offsetMinutes) < 60 && Number(offsetSeconds) < 60);
}
