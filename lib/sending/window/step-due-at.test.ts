import { describe, expect, it } from "vitest";
import { stepDueAt, type StepDelay } from "./step-due-at";

const delay = (delayDays: number, delayHours = 0, businessDays = false): StepDelay => ({ delayDays, delayHours, businessDays });
const due = (previous: string, step: StepDelay, zone: string) => stepDueAt(new Date(previous), step, zone).toISOString();

describe("stepDueAt", () => {
  it("is the previous instant itself when the delay is zero", () => {
    const previous = new Date("2026-06-10T14:23:45.678Z");
    expect(stepDueAt(previous, delay(0), "America/New_York").getTime()).toBe(previous.getTime());
  });

  it("keeps the local time of day across spring-forward: 2 days after Saturday 10:00 EST is Monday 10:00 EDT (47 h)", () => {
    expect(due("2026-03-07T15:00:00Z", delay(2), "America/New_York")).toBe("2026-03-09T14:00:00.000Z");
  });

  it("keeps the local time of day across fall-back: a day after Saturday 10:00 CEST is Sunday 10:00 CET (25 h)", () => {
    expect(due("2026-10-24T08:00:00Z", delay(1), "Europe/Berlin")).toBe("2026-10-25T09:00:00.000Z");
  });

  it("handles Lord Howe's 30-minute changes both ways", () => {
    expect(due("2026-10-02T23:30:00Z", delay(1), "Australia/Lord_Howe")).toBe("2026-10-03T23:00:00.000Z");
    expect(due("2026-04-03T23:00:00Z", delay(1), "Australia/Lord_Howe")).toBe("2026-04-04T23:30:00.000Z");
  });

  it("moves a local time the clocks skip later by the gap (02:30 on 8 March in New York is 03:30 EDT)", () => {
    expect(due("2026-03-07T07:30:00Z", delay(1), "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
  });

  it("takes the first of a repeated local time (01:30 on 1 November in New York is 01:30 EDT)", () => {
    expect(due("2026-10-31T05:30:00Z", delay(1), "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
  });

  it("adds hours as elapsed time, after the days", () => {
    // 01:30 EST + 1 hour is 03:30 EDT: one real hour, not local 02:30 (which does not exist).
    expect(due("2026-03-08T06:30:00Z", delay(0, 1), "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    // Saturday 10:00 EST + 1 day 5 hours: Sunday 10:00 EDT, then 5 hours.
    expect(due("2026-03-07T15:00:00Z", delay(1, 5), "America/New_York")).toBe("2026-03-08T19:00:00.000Z");
  });

  it("counts days in the lead's zone: in Kolkata a day is always 24 hours, seconds kept", () => {
    expect(due("2026-03-07T15:00:07.250Z", delay(3), "Asia/Kolkata")).toBe("2026-03-10T15:00:07.250Z");
  });

  it("counts business days Monday to Friday, by the local weekday", () => {
    const zone = "Europe/Berlin";
    // Friday 10:00 CEST + 1 business day is Monday; + 5 is the next Friday.
    expect(due("2026-06-12T08:00:00Z", delay(1, 0, true), zone)).toBe("2026-06-15T08:00:00.000Z");
    expect(due("2026-06-12T08:00:00Z", delay(5, 0, true), zone)).toBe("2026-06-19T08:00:00.000Z");
    // Wednesday + 3 business days is Monday; Saturday + 1 and Sunday + 1 are Monday too.
    expect(due("2026-06-10T08:00:00Z", delay(3, 0, true), zone)).toBe("2026-06-15T08:00:00.000Z");
    expect(due("2026-06-13T08:00:00Z", delay(1, 0, true), zone)).toBe("2026-06-15T08:00:00.000Z");
    expect(due("2026-06-14T08:00:00Z", delay(1, 0, true), zone)).toBe("2026-06-15T08:00:00.000Z");
    // Friday 23:30 in Berlin is still Friday 21:30 UTC: the local weekday decides.
    expect(due("2026-06-12T21:30:00Z", delay(1, 0, true), zone)).toBe("2026-06-15T21:30:00.000Z");
    // Across Berlin's spring-forward weekend: Friday 10:00 CET → Monday 10:00 CEST.
    expect(due("2026-03-27T09:00:00Z", delay(1, 0, true), zone)).toBe("2026-03-30T08:00:00.000Z");
  });

  it("refuses a negative or fractional delay", () => {
    expect(() => stepDueAt(new Date(), delay(-1), "UTC")).toThrow(RangeError);
    expect(() => stepDueAt(new Date(), delay(1.5), "UTC")).toThrow(RangeError);
  });
});
