import { describe, expect, it } from "vitest";
import { describeCapacityNeeds, describeDailyCapacity, estimateFinish } from "./capacity";

// 2026-11-30 is a Monday.
const monday = "2026-11-30";
const weekdays = [1, 2, 3, 4, 5];
/** An identity whose today is `today`, `usedToday` of its cap already taken. */
const mailbox = (dailyCap: number, sendDays: number[], today = monday, usedToday = 0) => ({ dailyCap, sendDays, today, usedToday });
const step = (delayDays = 0, businessDays = false) => ({ delayDays, delayHours: 0, businessDays });

describe("estimateFinish", () => {
  it("sends one step to everyone at the identities' combined cap, on their sending days", () => {
    const estimate = estimateFinish({
      identities: [mailbox(50, weekdays), mailbox(50, weekdays)],
      steps: [step()],
      leads: 600,
    });
    // 100 a weekday: Mon–Fri 500, the weekend sends nothing, the last 100 go on the next Monday.
    expect(estimate).toEqual({
      totalEmails: 600,
      perDay: [{ days: weekdays, emails: 100 }],
      sendDays: weekdays,
      today: { used: 0, left: 100 },
      days: 8,
      finishDate: "2026-12-07",
    });
    expect(describeDailyCapacity(estimate!.perDay)).toBe("100 a day on Mon–Fri");
  });

  it("counts on each weekday only the identities that send on it", () => {
    const estimate = estimateFinish({
      identities: [mailbox(50, weekdays), mailbox(80, [1, 2, 3, 4, 5, 6, 7])],
      steps: [step()],
      leads: 1_000,
    });
    // Mon–Fri 130 a day (650), Sat and Sun 80 each (810), the last 190 on Mon and Tue.
    expect(estimate).toMatchObject({
      perDay: [
        { days: weekdays, emails: 130 },
        { days: [6, 7], emails: 80 },
      ],
      sendDays: [1, 2, 3, 4, 5, 6, 7],
      finishDate: "2026-12-08",
    });
    expect(describeDailyCapacity(estimate!.perDay)).toBe("130 a day on Mon–Fri and 80 on Sat, Sun");
    expect(
      describeDailyCapacity([
        { days: [1, 3], emails: 20 },
        { days: [2], emails: 1_500 },
        { days: [4, 5, 6], emails: 5 },
      ]),
    ).toBe("20 a day on Mon, Wed; 1,500 on Tue and 5 on Thu–Sat");
    expect(describeDailyCapacity([])).toBe("nothing: no sending days");
  });

  it("starts from what is left of each identity's cap today", () => {
    // The first has sent 45 of its 50 today: Monday 55, Tue–Fri 100 (455), Monday 100, the last 45 on Tuesday.
    const estimate = estimateFinish({
      identities: [mailbox(50, weekdays, monday, 45), mailbox(50, weekdays)],
      steps: [step()],
      leads: 600,
    });
    expect(estimate).toMatchObject({ today: { used: 45, left: 55 }, days: 9, finishDate: "2026-12-08" });
    // The weekly figures stay the caps'.
    expect(describeDailyCapacity(estimate!.perDay)).toBe("100 a day on Mon–Fri");
    // A cap lowered below what was sent today leaves nothing today, not less than nothing.
    expect(estimateFinish({ identities: [mailbox(10, [1, 2, 3, 4, 5, 6, 7], monday, 12)], steps: [step()], leads: 20 })).toMatchObject({
      today: { used: 12, left: 0 },
      days: 3,
      finishDate: "2026-12-02",
    });
  });

  it("counts each identity's days from its own today when their zones are a date apart", () => {
    // 30 emails. One is still on Sunday the 29th in its zone, its cap spent; the other is on Monday the 30th.
    const estimate = estimateFinish({
      identities: [mailbox(10, [1, 2, 3, 4, 5, 6, 7], "2026-11-29", 10), mailbox(10, weekdays, monday)],
      steps: [step()],
      leads: 30,
    });
    // Day 0: 0 + 10; day 1: the first's Monday 10 + the second's Tuesday 10. Dates on the later calendar.
    expect(estimate).toMatchObject({ today: { used: 10, left: 10 }, days: 2, finishDate: "2026-12-01" });
  });

  it("waits each step's delay, and counts business days without the weekend", () => {
    const calendar = estimateFinish({
      identities: [mailbox(100, [1, 2, 3, 4, 5, 6, 7])],
      steps: [step(), step(3)],
      leads: 10,
    });
    expect(calendar?.finishDate).toBe("2026-12-03");
    // Friday + 3 business days is Wednesday.
    const business = estimateFinish({
      identities: [mailbox(100, weekdays, "2026-12-04")],
      steps: [step(), step(3, true)],
      leads: 10,
    });
    expect(business?.finishDate).toBe("2026-12-09");
  });

  it("sends follow-ups before new leads, so a small cap stretches the whole campaign", () => {
    const estimate = estimateFinish({
      identities: [mailbox(10, [1, 2, 3, 4, 5, 6, 7])],
      steps: [step(), step(1)],
      leads: 20,
    });
    // Day 1: 10 first emails; day 2: their 10 follow-ups; day 3: 10 first; day 4: 10 follow-ups.
    expect(estimate).toMatchObject({ totalEmails: 40, days: 4, finishDate: "2026-12-03" });
  });

  it("has nothing to estimate without an identity or a step, and no day at all without leads", () => {
    expect(estimateFinish({ identities: [], steps: [step()], leads: 5 })).toBeNull();
    expect(estimateFinish({ identities: [mailbox(5, weekdays)], steps: [], leads: 5 })).toBeNull();
    expect(estimateFinish({ identities: [mailbox(5, weekdays)], steps: [step()], leads: 0 })).toMatchObject({
      totalEmails: 0,
      days: 0,
    });
  });

  it("stops at ten years for an audience the caps cannot reach", () => {
    const estimate = estimateFinish({ identities: [mailbox(1, [1])], steps: [step()], leads: 1_000_000 });
    expect(estimate?.days).toBe(3_651);
  });
});

describe("describeCapacityNeeds", () => {
  it("names exactly what the campaign lacks, in the editor's order", () => {
    expect(describeCapacityNeeds(["step", "identity", "audience"])).toBe("Needs an audience, a sending identity and a step.");
    expect(describeCapacityNeeds(["step", "identity"])).toBe("Needs a sending identity and a step.");
    expect(describeCapacityNeeds(["identity"])).toBe("Needs a sending identity.");
    expect(describeCapacityNeeds(["audience"])).toBe("Needs an audience.");
  });
});
