/**
 * How long the chosen identities take to send a campaign: a day-by-day simulation at their
 * daily caps and sending days, follow-ups first (they are due), then first emails to the leads
 * not yet enrolled. Pure: pre-flight calls it, its tests pin the arithmetic.
 */

export type CapacityIdentity = { dailyCap: number; sendDays: readonly number[] };
export type CapacityStep = { delayDays: number; delayHours: number; businessDays: boolean };

/** Past this the estimate says "more than ten years" rather than simulating on. */
const MAX_DAYS = 3_650;

export function estimateFinish(input: {
  identities: readonly CapacityIdentity[];
  steps: readonly CapacityStep[];
  leads: number;
  /** The first day that may send (UTC midnight). */
  start: Date;
}): { totalEmails: number; perSendingDay: number; sendDays: number[]; days: number; finishDate: string } | null {
  const { identities, steps, leads, start } = input;
  if (identities.length === 0 || steps.length === 0) return null;
  const capOn = (weekday: number) => identities.reduce((sum, i) => sum + (i.sendDays.includes(weekday) ? i.dailyCap : 0), 0);
  const sendDays = [1, 2, 3, 4, 5, 6, 7].filter((d) => capOn(d) > 0);
  const perSendingDay = identities.reduce((sum, i) => sum + i.dailyCap, 0);
  const totalEmails = leads * steps.length;
  const weekdayOf = (day: number) => ((new Date(start.getTime() + day * 86_400_000).getUTCDay() + 6) % 7) + 1;
  const dateOf = (day: number) => new Date(start.getTime() + day * 86_400_000).toISOString().slice(0, 10);
  if (totalEmails === 0 || sendDays.length === 0) return { totalEmails, perSendingDay, sendDays, days: 0, finishDate: dateOf(0) };

  // due[k]: day → how many leads' step k (k ≥ 1) falls due that day.
  const due: Map<number, number>[] = steps.map(() => new Map());
  let notEnrolled = leads;
  let sent = 0;
  let day = 0;
  for (; day <= MAX_DAYS; day++) {
    let cap = capOn(weekdayOf(day));
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
  return { totalEmails, perSendingDay, sendDays, days: Math.min(day, MAX_DAYS) + 1, finishDate: dateOf(Math.min(day, MAX_DAYS)) };

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
