import { describe, expect, it } from "vitest";
import { resolveUsageMonth } from "./usage-month";

// 1 December 2026, 01:30 UTC: still 30 November in Los Angeles, already December in Berlin.
const now = new Date("2026-12-01T01:30:00Z");

describe("the usage page's month", () => {
  it("is this month in the workspace's time zone when none is asked for", () => {
    expect(resolveUsageMonth(undefined, "Europe/Berlin", now)).toEqual({ month: "2026-12", previous: "2026-11", next: null, notice: null });
    expect(resolveUsageMonth("", "America/Los_Angeles", now)).toMatchObject({ month: "2026-11", next: null, notice: null });
  });

  it("shows a past month asked for, with both neighbours, across a year's end", () => {
    expect(resolveUsageMonth("2026-01", "UTC", now)).toEqual({ month: "2026-01", previous: "2025-12", next: "2026-02", notice: null });
  });

  it("replaces a malformed, future or too old month with a notice instead of failing", () => {
    expect(resolveUsageMonth("2026-13", "UTC", now)).toMatchObject({
      month: "2026-12",
      notice: '"2026-13" is not a month like 2026-12: showing this month.',
    });
    expect(resolveUsageMonth("<script>", "UTC", now).notice).toContain("is not a month");
    expect(resolveUsageMonth("2027-01", "UTC", now)).toMatchObject({
      month: "2026-12",
      notice: "2027-01 has not happened yet: showing this month.",
    });
    expect(resolveUsageMonth("2019-05", "UTC", now)).toEqual({
      month: "2025-01",
      previous: null,
      next: "2025-02",
      notice: "Usage goes back 24 months: showing 2025-01, the oldest.",
    });
  });
});
