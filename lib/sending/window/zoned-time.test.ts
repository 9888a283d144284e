import { describe, expect, it } from "vitest";
import { firstInstantFrom, formatLocalDate, instantsAt, isKnownTimeZone, localDateOf, wallClock } from "./zoned-time";

const iso = (ms: number) => new Date(ms).toISOString();

describe("zoned time", () => {
  it("reads the wall clock and ISO weekday of an instant in a zone", () => {
    expect(wallClock(new Date("2026-03-08T06:59:00Z"), "America/New_York")).toEqual({
      year: 2026,
      month: 3,
      day: 8,
      minuteOfDay: 119,
      weekday: 7,
    });
    expect(wallClock(new Date("2026-03-08T07:00:00Z"), "America/New_York").minuteOfDay).toBe(180);
    expect(wallClock(new Date("2026-06-10T00:00:00Z"), "Asia/Kolkata").minuteOfDay).toBe(330);
    // Midnight is minute 0, not 24:00.
    expect(wallClock(new Date("2026-06-10T04:00:00Z"), "America/New_York").minuteOfDay).toBe(0);
  });

  it("finds no instant for a skipped local time, two for a repeated one", () => {
    expect(instantsAt({ year: 2026, month: 3, day: 8 }, 150, "America/New_York")).toEqual([]);
    expect(instantsAt({ year: 2026, month: 11, day: 1 }, 90, "America/New_York").map(iso)).toEqual([
      "2026-11-01T05:30:00.000Z",
      "2026-11-01T06:30:00.000Z",
    ]);
    expect(instantsAt({ year: 2026, month: 4, day: 5 }, 100, "Australia/Lord_Howe").map(iso)).toEqual([
      "2026-04-04T14:40:00.000Z",
      "2026-04-04T15:10:00.000Z",
    ]);
  });

  it("starts a day whose midnight is skipped when the clocks jump (Santiago, 6 September 2026)", () => {
    expect(iso(firstInstantFrom({ year: 2026, month: 9, day: 6 }, 0, "America/Santiago"))).toBe("2026-09-06T04:00:00.000Z");
    expect(formatLocalDate(localDateOf(new Date("2026-09-06T04:00:00Z"), "America/Santiago"))).toBe("2026-09-06");
  });

  it("knows real zones and refuses invented ones", () => {
    expect(isKnownTimeZone("Australia/Lord_Howe")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
