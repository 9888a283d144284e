import { describe, expect, it } from "vitest";
import { isInWindow, nextWindowStart, type SendingWindow } from "./next-window-start";

const WEEKDAYS_9_TO_5: SendingWindow = { days: [1, 2, 3, 4, 5], fromMinute: 540, untilMinute: 1020 };
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const at = (iso: string) => new Date(iso);
const next = (earliest: string, window: SendingWindow, zone: string) => nextWindowStart(at(earliest), window, zone).toISOString();

describe("nextWindowStart", () => {
  it("returns the very instant when it is already inside the window", () => {
    const inside = at("2026-06-10T14:23:45.678Z"); // Wednesday 10:23 in New York
    expect(nextWindowStart(inside, WEEKDAYS_9_TO_5, "America/New_York")).toBe(inside);
  });

  it("waits for the opening minute the same morning, and treats the closing minute as outside", () => {
    expect(next("2026-06-10T12:00:00Z", WEEKDAYS_9_TO_5, "America/New_York")).toBe("2026-06-10T13:00:00.000Z");
    // 17:00 New York is closed: [from, until).
    expect(next("2026-06-10T21:00:00Z", WEEKDAYS_9_TO_5, "America/New_York")).toBe("2026-06-11T13:00:00.000Z");
    expect(next("2026-06-10T20:59:59Z", WEEKDAYS_9_TO_5, "America/New_York")).toBe("2026-06-10T20:59:59.000Z");
  });

  it("reads the lead's zone, not UTC: 09:00 in Kolkata (UTC+5:30) is 03:30 UTC", () => {
    expect(next("2026-06-09T23:00:00Z", WEEKDAYS_9_TO_5, "Asia/Kolkata")).toBe("2026-06-10T03:30:00.000Z");
    // Wednesday 20:00 UTC is already Thursday 01:30 in Kolkata: Thursday's window, not Wednesday's.
    expect(next("2026-06-10T20:00:00Z", WEEKDAYS_9_TO_5, "Asia/Kolkata")).toBe("2026-06-11T03:30:00.000Z");
  });

  it("skips the days the mailbox does not send on, by the local weekday", () => {
    // Friday 18:00 in New York is already Saturday in UTC; the next window is Monday 09:00.
    expect(next("2026-06-12T22:00:00Z", WEEKDAYS_9_TO_5, "America/New_York")).toBe("2026-06-15T13:00:00.000Z");
    const sundaysOnly = { days: [7], fromMinute: 600, untilMinute: 660 };
    expect(next("2026-06-15T12:00:00Z", sundaysOnly, "Europe/Berlin")).toBe("2026-06-21T08:00:00.000Z");
  });

  it("keeps 09:00 local across spring-forward (New York, 8 March 2026): Monday opens at 13:00 UTC, not 14:00", () => {
    expect(next("2026-03-06T23:00:00Z", WEEKDAYS_9_TO_5, "America/New_York")).toBe("2026-03-09T13:00:00.000Z");
  });

  it("keeps 09:00 local across fall-back (New York, 1 November 2026): Monday opens at 14:00 UTC, not 13:00", () => {
    expect(next("2026-10-30T22:00:00Z", WEEKDAYS_9_TO_5, "America/New_York")).toBe("2026-11-02T14:00:00.000Z");
  });

  it("follows Berlin's changes on its own dates (29 March and 25 October 2026)", () => {
    expect(next("2026-03-27T17:00:00Z", WEEKDAYS_9_TO_5, "Europe/Berlin")).toBe("2026-03-30T07:00:00.000Z");
    expect(next("2026-10-23T16:00:00Z", WEEKDAYS_9_TO_5, "Europe/Berlin")).toBe("2026-10-26T08:00:00.000Z");
    // The same UTC instants in New York, whose clocks changed on other dates.
    expect(next("2026-03-27T22:00:00Z", WEEKDAYS_9_TO_5, "America/New_York")).toBe("2026-03-30T13:00:00.000Z");
  });

  it("opens when the clocks jump if the opening minute falls in a spring-forward gap", () => {
    const sunday0230 = { days: [7], fromMinute: 150, untilMinute: 240 };
    // New York skips 02:00–03:00 on 8 March 2026: the window opens at 03:00 EDT (07:00 UTC), not 03:30.
    expect(next("2026-03-08T05:00:00Z", sunday0230, "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    // Lord Howe skips 02:00–02:30 (a 30-minute change) on 4 October 2026: 02:30 +11:00.
    const sunday0200 = { days: [7], fromMinute: 120, untilMinute: 240 };
    expect(next("2026-10-03T13:00:00Z", sunday0200, "Australia/Lord_Howe")).toBe("2026-10-03T15:30:00.000Z");
  });

  it("skips a day whose whole window the clocks jump over", () => {
    const sunday0200to0230 = { days: [7], fromMinute: 120, untilMinute: 150 };
    // 8 March 2026 has no 02:xx in New York: the next Sunday, 02:00 EDT.
    expect(next("2026-03-08T05:00:00Z", sunday0200to0230, "America/New_York")).toBe("2026-03-15T06:00:00.000Z");
  });

  it("counts a fall-back hour's repeated minutes as inside again (Lord Howe repeats 01:30–02:00)", () => {
    const sunday0145 = { days: [7], fromMinute: 105, untilMinute: 180 };
    // 5 April 2026: the first 01:45 is +11:00 (14:45 UTC); after it, the clocks go back at 15:00 UTC
    // from 02:00 to 01:30, outside the window until the second 01:45 (+10:30, 15:15 UTC).
    expect(next("2026-04-04T14:00:00Z", sunday0145, "Australia/Lord_Howe")).toBe("2026-04-04T14:45:00.000Z");
    expect(next("2026-04-04T15:00:00Z", sunday0145, "Australia/Lord_Howe")).toBe("2026-04-04T15:15:00.000Z");
    // A window the clocks go back into opens at the change itself.
    const sunday0100 = { days: [7], fromMinute: 60, untilMinute: 100 };
    expect(next("2026-04-04T14:40:00Z", sunday0100, "Australia/Lord_Howe")).toBe("2026-04-04T15:00:00.000Z");
  });

  it("refuses a window that can never open instead of looping", () => {
    expect(() => nextWindowStart(new Date(), { days: [], fromMinute: 0, untilMinute: 60 }, "UTC")).toThrow(RangeError);
    expect(() => nextWindowStart(new Date(), { days: [1], fromMinute: 600, untilMinute: 600 }, "UTC")).toThrow(RangeError);
    expect(() => nextWindowStart(new Date(), WEEKDAYS_9_TO_5, "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

/**
 * The definition, checked by brute force: the first instant at or after `earliest` whose local
 * time is inside the window. Transitions happen on whole minutes, so after `earliest` itself
 * only minute boundaries need checking.
 */
function scanForWindow(earliest: number, window: SendingWindow, zone: string): number {
  if (isInWindow(earliest, window, zone)) return earliest;
  const minute = 60_000;
  for (let t = Math.floor(earliest / minute) * minute + minute; ; t += minute) {
    if (isInWindow(t, window, zone)) return t;
  }
}

describe("nextWindowStart against a minute-by-minute scan around every 2026 DST change", () => {
  const zones: [string, string[]][] = [
    ["America/New_York", ["2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z"]],
    ["Europe/Berlin", ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"]],
    ["Australia/Lord_Howe", ["2026-04-04T15:00:00Z", "2026-10-03T15:30:00Z"]],
    ["Asia/Kolkata", ["2026-03-08T07:00:00Z"]],
  ];
  // Deterministic pseudo-random cases (a failing seed reproduces).
  let seed = 20260308;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

  for (const [zone, changes] of zones) {
    it(`agrees in ${zone}`, () => {
      for (const change of changes) {
        for (let i = 0; i < 25; i++) {
          const earliest = Date.parse(change) + Math.floor((random() - 0.5) * 3 * 86_400_000);
          const fromMinute = Math.floor(random() * 1380);
          const untilMinute = fromMinute + 1 + Math.floor(random() * Math.min(240, 1439 - fromMinute));
          const days = EVERY_DAY.filter(() => random() < 0.6);
          const window = { days: days.length > 0 ? days : [7], fromMinute, untilMinute };
          const expected = scanForWindow(earliest, window, zone);
          const actual = nextWindowStart(new Date(earliest), window, zone).getTime();
          expect({ earliest: new Date(earliest).toISOString(), window, at: new Date(actual).toISOString() }).toEqual({
            earliest: new Date(earliest).toISOString(),
            window,
            at: new Date(expected).toISOString(),
          });
        }
      }
    });
  }
});
