import { describe, expect, it } from "vitest";
import { nextDay, startOfDay } from "./day-range";

describe("day boundaries in a time zone", () => {
  it("finds midnight in the zone, whatever its offset that day", () => {
    expect(startOfDay("2026-03-03", "UTC").toISOString()).toBe("2026-03-03T00:00:00.000Z");
    expect(startOfDay("2026-03-03", "Europe/Paris").toISOString()).toBe("2026-03-02T23:00:00.000Z");
    expect(startOfDay("2026-07-03", "Europe/Paris").toISOString()).toBe("2026-07-02T22:00:00.000Z");
    expect(startOfDay("2026-03-03", "America/New_York").toISOString()).toBe("2026-03-03T05:00:00.000Z");
    expect(startOfDay("2026-03-03", "Asia/Kolkata").toISOString()).toBe("2026-03-02T18:30:00.000Z");
    expect(startOfDay("2026-01-01", "Pacific/Kiritimati").toISOString()).toBe("2025-12-31T10:00:00.000Z");
  });

  it("handles the days clocks change", () => {
    // Europe/Paris moves to summer time at 02:00 on 29 March 2026: midnight is still UTC+1.
    expect(startOfDay("2026-03-29", "Europe/Paris").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfDay("2026-03-30", "Europe/Paris").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfDay("2026-10-25", "Europe/Paris").toISOString()).toBe("2026-10-24T22:00:00.000Z");
  });

  it("steps to the next calendar day across months and years", () => {
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});
