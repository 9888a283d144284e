import { describe, expect, it } from "vitest";
import { startOfDay } from "@/lib/leads/day-range";
import { granularityOf, periodLabel, periodStartsOf } from "./periods";
import { splitSeriesDays } from "./series-days";

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

describe("the UTC days a series reads whole from the daily rollups", () => {
  const bounds = (starts: string[], tz: string) => starts.map((d) => startOfDay(d, tz));
  const iso = (d: Date) => d.toISOString().slice(0, 13);

  it("reads every day of a UTC range whole", () => {
    const starts = periodStartsOf({ from: "2026-03-02", to: "2026-03-15" }, "week");
    const { whole, split } = splitSeriesDays(bounds(starts, "UTC"), startOfDay("2026-03-16", "UTC"));
    expect(split).toEqual([]);
    expect(whole).toEqual({ first: new Date("2026-03-02T00:00:00Z"), last: new Date("2026-03-15T00:00:00Z") });
  });

  it("reads by the quarter hour the UTC days a week of Berlin starts in, across the change to summer time", () => {
    // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026: Monday 30 March starts at 22:00 UTC on the 29th.
    const starts = periodStartsOf({ from: "2026-03-16", to: "2026-04-05" }, "week");
    const { whole, split } = splitSeriesDays(bounds(starts, "Europe/Berlin"), startOfDay("2026-04-06", "Europe/Berlin"));
    expect(split.map(iso)).toEqual(["2026-03-15T00", "2026-03-22T00", "2026-03-29T00", "2026-04-05T00"]);
    expect(whole && [iso(whole.first), iso(whole.last)]).toEqual(["2026-03-16T00", "2026-04-04T00"]);
  });

  it("reads every day by the quarter hour when each of them straddles two days of the zone", () => {
    const starts = periodStartsOf({ from: "2026-06-01", to: "2026-06-03" }, "day");
    const { whole, split } = splitSeriesDays(bounds(starts, "America/New_York"), startOfDay("2026-06-04", "America/New_York"));
    expect(whole).toBeNull();
    expect(split.map(iso)).toEqual(["2026-06-01T00", "2026-06-02T00", "2026-06-03T00", "2026-06-04T00"]);
  });

  it("splits the UTC day a week of Kolkata (+5:30) starts in, at its half hour", () => {
    // Monday 23 February 2026 starts at 18:30 UTC on the 22nd in Kolkata.
    const starts = periodStartsOf({ from: "2026-02-16", to: "2026-03-01" }, "week");
    const { whole, split } = splitSeriesDays(bounds(starts, "Asia/Kolkata"), startOfDay("2026-03-02", "Asia/Kolkata"));
    expect(split.map(iso)).toEqual(["2026-02-15T00", "2026-02-22T00", "2026-03-01T00"]);
    expect(whole && [iso(whole.first), iso(whole.last)]).toEqual(["2026-02-16T00", "2026-02-28T00"]);
  });
});
