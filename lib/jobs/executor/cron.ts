/**
 * Five-field cron schedules as Inngest accepts them (`minute hour day month weekday`, with
 * `*`, lists, ranges, steps, month and day names, and an optional `TZ=Area/City ` prefix),
 * enough to compute the next tick after a moment.
 */

export type CronSchedule = {
  source: string;
  timeZone: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
};

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

export class InvalidCronError extends Error {
  constructor(source: string, reason: string) {
    super(`Invalid cron schedule "${source}": ${reason}.`);
    this.name = "InvalidCronError";
  }
}

export function parseCron(source: string): CronSchedule {
  let rest = source.trim();
  let timeZone = "UTC";
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(rest);
  if (tz) {
    timeZone = tz[1] ?? "UTC";
    rest = tz[2] ?? "";
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
    } catch {
      throw new InvalidCronError(source, `unknown time zone ${timeZone}`);
    }
  }
  rest = MACROS[rest] ?? rest;
  const fields = rest.split(/\s+/);
  if (fields.length !== 5) throw new InvalidCronError(source, `expected 5 fields, got ${fields.length}`);
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  const weekdays = parseField(source, weekday, 0, 7, WEEKDAYS);
  if (weekdays.delete(7)) weekdays.add(0);
  return {
    source,
    timeZone,
    minutes: parseField(source, minute, 0, 59),
    hours: parseField(source, hour, 0, 23),
    days: parseField(source, day, 1, 31),
    months: parseField(source, month, 1, 12, MONTHS, 1),
    weekdays,
    daysRestricted: day !== "*" && day !== "?",
    weekdaysRestricted: weekday !== "*" && weekday !== "?",
  };
}

function parseField(source: string, field: string, min: number, max: number, names?: string[], nameBase = 0): Set<number> {
  const values = new Set<number>();
  const toNumber = (text: string): number => {
    const named = names?.indexOf(text.toUpperCase()) ?? -1;
    const n = named >= 0 ? named + nameBase : Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidCronError(source, `"${text}" is out of range ${min}-${max}`);
    return n;
  };
  for (const part of field.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new InvalidCronError(source, `bad step in "${part}"`);
    let [from, to] = [min, max];
    if (range !== "*" && range !== "?") {
      const [a = "", b] = range.split("-");
      from = toNumber(a);
      to = b === undefined ? (stepText === undefined ? from : max) : toNumber(b);
      if (to < from) throw new InvalidCronError(source, `range "${range}" runs backwards`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

type LocalTime = { minute: number; hour: number; day: number; month: number; weekday: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(ms: number, timeZone: string): LocalTime {
  if (timeZone === "UTC") {
    const d = new Date(ms);
    return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), day: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
  }
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      minute: "numeric",
      hour: "numeric",
      day: "numeric",
      month: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    day: Number(parts.day),
    month: Number(parts.month),
    weekday: WEEKDAYS.indexOf(String(parts.weekday).toUpperCase()),
  };
}

function dayMatches(s: CronSchedule, t: LocalTime): boolean {
  const dom = s.days.has(t.day);
  const dow = s.weekdays.has(t.weekday);
  // Classic cron: when both are restricted, either one matching is enough.
  if (s.daysRestricted && s.weekdaysRestricted) return dom || dow;
  return dom && dow;
}

const MINUTE = 60_000;

/** The first tick strictly after `afterMs`. */
export function nextCronTick(schedule: CronSchedule, afterMs: number): number {
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  for (let guard = 0; guard < 200_000; guard++) {
    const local = localTime(t, schedule.timeZone);
    if (!schedule.months.has(local.month) || !dayMatches(schedule, local)) {
      t += (24 * 60 - (local.hour * 60 + local.minute)) * MINUTE;
    } else if (!schedule.hours.has(local.hour)) {
      t += (60 - local.minute) * MINUTE;
    } else if (!schedule.minutes.has(local.minute)) {
      t += MINUTE;
    } else {
      return t;
    }
  }
  throw new InvalidCronError(schedule.source, "it never fires");
}
