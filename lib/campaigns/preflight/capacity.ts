import type { CapacityEstimate } from "./types";
/**
 * How long the chosen identities take to send a campaign: a day-by-day simulation at their
 * daily caps and sending days, follow-ups first (they are due), then first emails to the leads
 * not yet enrolled. Day 0 is each identity's today as its cap counts it, with only what is left
 * of that cap. Pure: pre-flight calls it, its tests pin the arithmetic.
 */

export type CapacityIdentity = {
  dailyCap: number;
  sendDays: readonly number[];
  /** Its date now (YYYY-MM-DD) in its own time zone: the day its cap counts (capDay), day 0 here. */
  today: string;
  /** Already sent or reserved today against its cap, by any campaign (readUsedToday). */
  usedToday: number;
};
/** Sending weekdays (ISO, 1 = Monday) on which the identities together send `emails` a day. */
export type DailyCapacity = { days: number[]; emails: number };
export type CapacityStep = { delayDays: number; delayHours: number; businessDays: boolean };

/** Past this the estimate says "more than ten years" rather than simulating on. */
const MAX_DAYS = 3_650;
const DAY_MS = 86_400_000;

export function estimateFinish(input: {
  identities: readonly CapacityIdentity[];
  steps: readonly CapacityStep[];
  leads: number;
}): CapacityEstimate | null {
  const { identities, steps, leads } = input;
  if (identities.length === 0 || steps.length === 0) return null;
  const capOn = (weekday: number) => identities.reduce((sum, i) => sum + (i.sendDays.includes(weekday) ? i.dailyCap : 0), 0);
  const sendDays = [1, 2, 3, 4, 5, 6, 7].filter((d) => capOn(d) > 0);
  // Identities need not share sending days: a weekday's capacity is the sum of those sending on it.
  const perDay: DailyCapacity[] = [];
  for (const d of sendDays) {
    const same = perDay.find((g) => g.emails === capOn(d));
    if (same) same.days.push(d);
    else perDay.push({ days: [d], emails: capOn(d) });
  }
  // Each identity counts days from its own today (identities in zones either side of midnight
  // are a date apart); dates and business days are read on the calendar of the latest of them.
  const todays = identities.map((i) => Date.parse(`${i.today}T00:00:00Z`));
  const start = Math.max(...todays);
  const weekdayAt = (from: number, day: number) => ((new Date(from + day * DAY_MS).getUTCDay() + 6) % 7) + 1;
  const weekdayOf = (day: number) => weekdayAt(start, day);
  const dateOf = (day: number) => new Date(start + day * DAY_MS).toISOString().slice(0, 10);
  const capOnDay = (day: number) =>
    identities.reduce((sum, i, n) => {
      if (!i.sendDays.includes(weekdayAt(todays[n]!, day))) return sum;
      return sum + (day === 0 ? Math.max(0, i.dailyCap - i.usedToday) : i.dailyCap);
    }, 0);
  const today = { used: identities.reduce((sum, i) => sum + i.usedToday, 0), left: capOnDay(0) };
  const totalEmails = leads * steps.length;
  if (totalEmails === 0 || sendDays.length === 0) return { totalEmails, perDay, sendDays, today, days: 0, finishDate: dateOf(0) };

  // due[k]: day → how many leads' step k (k ≥ 1) falls due that day.
  const due: Map<number, number>[] = steps.map(() => new Map());
  let notEnrolled = leads;
  let sent = 0;
  let day = 0;
  for (; day <= MAX_DAYS; day++) {
    let cap = capOnDay(day);
    if (cap === 0) continue;
    // Later steps first: a lead further along is closer to done.
    for (let k = steps.length - 1; k >= 1 && cap > 0; k--) {
      for (const [dueDay, count] of [...due[k]!.entries()].sort((a, b) => a[0] - b[0])) {
        if (dueDay > day || cap === 0) break;
        const n = Math.min(count, cap);
        cap -= n;
        sent += n;
        if (n === count) due[k]!.delete(dueDay);
        else due[k]!.set(dueDay, count - n);
        schedule(k + 1, n);
      }
    }
    if (cap > 0 && notEnrolled > 0) {
      const n = Math.min(notEnrolled, cap);
      notEnrolled -= n;
      sent += n;
      schedule(1, n);
    }
    if (sent >= totalEmails) break;
  }
  return { totalEmails, perDay, sendDays, today, days: Math.min(day, MAX_DAYS) + 1, finishDate: dateOf(Math.min(day, MAX_DAYS)) };

  /** `n` leads reach step index `k` (0-based), due its delay after today. */
  function schedule(k: number, n: number) {
    const step = steps[k];
    if (!step) return;
    const delay = step.delayDays + (step.delayHours > 0 ? 1 : 0);
    const dueDay = step.businessDays ? addBusinessDays(day, delay) : day + delay;
    due[k]!.set(dueDay, (due[k]!.get(dueDay) ?? 0) + n);
  }

  function addBusinessDays(from: number, count: number): number {
    let d = from;
    for (let left = count; left > 0;) {
      d++;
      if (weekdayOf(d) <= 5) left--;
    }
    return d;
  }
}

/** What an estimate needs and a campaign may still lack: without any one of them there is none. */
export type CapacityNeed = "audience" | "step" | "identity";

const NEED_WORDS: Record<CapacityNeed, string> = { audience: "an audience", identity: "a sending identity", step: "a step" };

/** "Needs a sending identity and a step.": exactly what the campaign lacks for an estimate, in the editor's order. */
export function describeCapacityNeeds(needs: readonly CapacityNeed[]): string {
  const words = (Object.keys(NEED_WORDS) as CapacityNeed[]).filter((need) => needs.includes(need)).map((need) => NEED_WORDS[need]);
  const list = words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
  return `Needs ${list}.`;
}

const WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "130 a day on Mon–Fri and 50 on Sat, Sun": what the identities send on each of their sending days. */
export function describeDailyCapacity(perDay: readonly DailyCapacity[]): string {
  if (perDay.length === 0) return "nothing: no sending days";
  const parts = perDay.map((g, i) => `${g.emails.toLocaleString("en-US")}${i === 0 ? " a day" : ""} on ${describeWeekdays(g.days)}`);
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join("; ")} and ${parts.at(-1)}`;
}

/** [1,2,3,4,5] → "Mon–Fri"; [1,3] → "Mon, Wed"; [6,7] → "Sat, Sun". */
function describeWeekdays(days: readonly number[]): string {
  const runs: number[][] = [];
  for (const d of days) {
    const run = runs.at(-1);
    if (run && run.at(-1) === d - 1) run.push(d);
    else runs.push([d]);
  }
  return runs
    .map((run) =>
      run.length >= 3 ? `${WEEKDAY_NAMES[run[0]! - 1]}–${WEEKDAY_NAMES[run.at(-1)! - 1]}` : run.map((d) => WEEKDAY_NAMES[d - 1]).join(", "),
    )
    .join(", ");
}
