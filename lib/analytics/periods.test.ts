import { describe, expect, it } from "vitest";
import { startOfDay } from "@/lib/leads/day-range";
import { granularityOf, periodLabel, periodStartsOf } from "./periods";
import { planSeriesRead } from "./series-days";

describe("the periods of a range", () => {
  it("shows up to 92 days by day, up to a year by week, longer ranges by month", () => {
    expect(granularityOf({ from: "2026-01-01", to: "2026-04-02" })).toBe("day"); // 92 days
    expect(granularityOf({ from: "2026-01-01", to: "2026-04-03" })).toBe("week");
    expect(granularityOf({ from: "2025-01-01", to: "2025-12-31" })).toBe("week"); // 365 days
    expect(granularityOf({ from: "2024-01-01", to: "2024-12-31" })).toBe("week"); // 366 days
    expect(granularityOf({ from: "2024-01-01", to: "2025-01-01" })).toBe("month");
  });

  it("starts weeks on Monday, the first one at the range's first day", () => {
    // 4 March 2026 is a Wednesday.
    expect(periodStartsOf({ from: "2026-03-04", to: "2026-03-31" }, "week")).toEqual([
      "2026-03-04",
      "2026-03-09",
      "2026-03-16",
      "2026-03-23",
      "2026-03-30",
    ]);
    // A range starting on a Monday, and one ending on one.
    expect(periodStartsOf({ from: "2026-03-09", to: "2026-03-23" }, "week")).toEqual(["2026-03-09", "2026-03-16", "2026-03-23"]);
    // A Sunday start: its week is that day alone.
    expect(periodStartsOf({ from: "2026-03-08", to: "2026-03-10" }, "week")).toEqual(["2026-03-08", "2026-03-09"]);
  });

  it("starts months on the 1st, across a year's end, and names them YYYY-MM", () => {
    const starts = periodStartsOf({ from: "2024-11-15", to: "2026-02-03" }, "month");
    expect(starts).toEqual([
      "2024-11-15",
      "2024-12-01",
      ...Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}-01`),
      "2026-01-01",
      "2026-02-01",
    ]);
    expect(starts.map((s) => periodLabel(s, "month")).slice(0, 3)).toEqual(["2024-11", "2024-12", "2025-01"]);
    expect(periodLabel("2026-03-04", "week")).toBe("2026-03-04");
  });

  it("covers the two-year maximum in 25 months and a year in at most 54 weeks", () => {
    expect(periodStartsOf({ from: "2024-12-02", to: "2026-12-01" })).toHaveLength(25);
    expect(periodStartsOf({ from: "2025-12-01", to: "2026-11-30" }).length).toBeLessThanOrEqual(54);
  });
});

describe("how a series reads its UTC days: whole from the daily rollups, the parts of split ones by the quarter hour", () => {
  const bounds = (starts: string[], tz: string) => starts.map((d) => startOfDay(d, tz));
  const iso = (d: Date) => d.toISOString().slice(0, 16);
  const shape = (plan: ReturnType<typeof planSeriesRead>) => ({
    days: plan.days && [iso(plan.days.first), iso(plan.days.last), plan.days.listed.map((l) => [iso(l.day), l.d])],
    segments: plan.segments.map((s) => [iso(s.lo), iso(s.hi), s.add, s.sub]),
  });

  it("reads every day of a UTC range whole", () => {
    const starts = periodStartsOf({ from: "2026-03-02", to: "2026-03-15" }, "week");
    expect(shape(planSeriesRead(bounds(starts, "UTC"), startOfDay("2026-03-16", "UTC")))).toEqual({
      days: ["2026-03-02T00:00", "2026-03-15T00:00", []],
      segments: [],
    });
  });

  it("reads the hours of Berlin's weeks that fall in another UTC day, across the change to summer time", () => {
    // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026: Monday 30 March starts at 22:00 UTC on the 29th.
    const starts = periodStartsOf({ from: "2026-03-16", to: "2026-04-05" }, "week");
    expect(shape(planSeriesRead(bounds(starts, "Europe/Berlin"), startOfDay("2026-04-06", "Europe/Berlin")))).toEqual({
      days: [
        "2026-03-15T00:00",
        "2026-04-05T00:00",
        [
          ["2026-03-15T00:00", 0],
          ["2026-03-22T00:00", 1],
          ["2026-03-29T00:00", 2],
          ["2026-04-05T00:00", 3],
        ],
      ],
      segments: [
        ["2026-03-15T23:00", "2026-03-16T00:00", 1, null],
        ["2026-03-22T23:00", "2026-03-23T00:00", 2, 1],
        ["2026-03-29T22:00", "2026-03-30T00:00", 3, 2],
        ["2026-04-05T22:00", "2026-04-06T00:00", null, 3],
      ],
    });
  });

  it("reads the shorter part of each UTC day when every one straddles two days of the zone", () => {
    const starts = periodStartsOf({ from: "2026-06-01", to: "2026-06-03" }, "day");
    expect(shape(planSeriesRead(bounds(starts, "America/New_York"), startOfDay("2026-06-04", "America/New_York")))).toEqual({
      days: [
        "2026-06-01T00:00",
        "2026-06-04T00:00",
        [
          ["2026-06-01T00:00", 1],
          ["2026-06-02T00:00", 2],
          ["2026-06-03T00:00", 3],
          ["2026-06-04T00:00", 0],
        ],
      ],
      segments: [
        ["2026-06-01T00:00", "2026-06-01T04:00", null, 1],
        ["2026-06-02T00:00", "2026-06-02T04:00", 1, 2],
        ["2026-06-03T00:00", "2026-06-03T04:00", 2, 3],
        ["2026-06-04T00:00", "2026-06-04T04:00", 3, null],
      ],
    });
  });

  it("cuts the UTC day a week of Kolkata (+5:30) starts in at its half hour", () => {
    // Monday 23 February 2026 starts at 18:30 UTC on the 22nd in Kolkata.
    const starts = periodStartsOf({ from: "2026-02-16", to: "2026-03-01" }, "week");
    expect(shape(planSeriesRead(bounds(starts, "Asia/Kolkata"), startOfDay("2026-03-02", "Asia/Kolkata")))).toEqual({
      days: [
        "2026-02-15T00:00",
        "2026-03-01T00:00",
        [
          ["2026-02-15T00:00", 0],
          ["2026-02-22T00:00", 1],
          ["2026-03-01T00:00", 2],
        ],
      ],
      segments: [
        ["2026-02-15T18:30", "2026-02-16T00:00", 1, null],
        ["2026-02-22T18:30", "2026-02-23T00:00", 2, 1],
        ["2026-03-01T18:30", "2026-03-02T00:00", null, 2],
      ],
    });
  });
});
