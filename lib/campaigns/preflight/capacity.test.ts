import { describe, expect, it } from "vitest";
import { describeCapacityNeeds, describeDailyCapacity, estimateFinish } from "./capacity";

// 2026-11-30 is a Monday.
const monday = new Date("2026-11-30T00:00:00Z");
const weekdays = [1, 2, 3, 4, 5];
const step = (delayDays = 0, businessDays = false) => ({ delayDays, delayHours: 0, businessDays });

describe("estimateFinish", () => {
  it("sends one step to everyone at the identities' combined cap, on their sending days", () => {
    const estimate = estimateFinish({
      identities: [
        { dailyCap: 50, sendDays: weekdays },
        { dailyCap: 50, sendDays: weekdays },
      ],
      steps: [step()],
      leads: 600,
      start: monday,
    });
    // 100 a weekday: Mon–Fri 500, the weekend sends nothing, the last 100 go on the next Monday.
    expect(estimate).toEqual({
      totalEmails: 600,
      perDay: [{ days: weekdays, emails: 100 }],
      sendDays: weekdays,
      days: 8,
      finishDate: "2026-12-07",
    });
    expect(describeDailyCapacity(estimate!.perDay)).toBe("100 a day on Mon–Fri");
  });

  it("counts on each weekday only the identities that send on it", () => {
    const estimate = estimateFinish({
      identities: [
        { dailyCap: 50, sendDays: weekdays },
        { dailyCap: 80, sendDays: [1, 2, 3, 4, 5, 6, 7] },
      ],
      steps: [step()],
      leads: 1_000,
      start: monday,
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

  it("waits each step's delay, and counts business days without the weekend", () => {
    const calendar = estimateFinish({
      identities: [{ dailyCap: 100, sendDays: [1, 2, 3, 4, 5, 6, 7] }],
      steps: [step(), step(3)],
      leads: 10,
      start: monday,
    });
    expect(calendar?.finishDate).toBe("2026-12-03");
    // Friday + 3 business days is Wednesday.
    const friday = new Date("2026-12-04T00:00:00Z");
    const business = estimateFinish({
      identities: [{ dailyCap: 100, sendDays: weekdays }],
      steps: [step(), step(3, true)],
      leads: 10,
      start: friday,
    });
    expect(business?.finishDate).toBe("2026-12-09");
  });

  it("sends follow-ups before new leads, so a small cap stretches the whole campaign", () => {
    const estimate = estimateFinish({
      identities: [{ dailyCap: 10, sendDays: [1, 2, 3, 4, 5, 6, 7] }],
      steps: [step(), step(1)],
      leads: 20,
      start: monday,
    });
    // Day 1: 10 first emails; day 2: their 10 follow-ups; day 3: 10 first; day 4: 10 follow-ups.
    expect(estimate).toMatchObject({ totalEmails: 40, days: 4, finishDate: "2026-12-03" });
  });

  it("has nothing to estimate without an identity or a step, and no day at all without leads", () => {
    expect(estimateFinish({ identities: [], steps: [step()], leads: 5, start: monday })).toBeNull();
    expect(estimateFinish({ identities: [{ dailyCap: 5, sendDays: weekdays }], steps: [], leads: 5, start: monday })).toBeNull();
    expect(estimateFinish({ identities: [{ dailyCap: 5, sendDays: weekdays }], steps: [step()], leads: 0, start: monday })).toMatchObject({
      totalEmails: 0,
      days: 0,
    });
  });

  it("stops at ten years for an audience the caps cannot reach", () => {
    const estimate = estimateFinish({ identities: [{ dailyCap: 1, sendDays: [1] }], steps: [step()], leads: 1_000_000, start: monday });
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
