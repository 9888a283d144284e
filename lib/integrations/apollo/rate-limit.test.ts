import { describe, expect, it } from "vitest";
import { adviseOnApolloRateLimit, apolloLimitWait, apolloWindowWait, readApolloRateLimit } from "./rate-limit";

const limited = (headers: Record<string, string>) => new Response("", { status: 429, headers });
const PER_HOUR = JSON.stringify({ message: "The maximum number of api calls allowed for api/v1/people/bulk_match is 600 times per hour." });

describe("Apollo rate-limit headers", () => {
  it("reads the minute, hour and day windows, with either spelling of the day", () => {
    const current = readApolloRateLimit(
      new Headers({
        "x-rate-limit-minute": "200",
        "x-minute-usage": "12",
        "x-minute-requests-left": "188",
        "x-24-hour-requests-left": "5",
      }),
    );
    expect(current.minute).toEqual({ limit: 200, used: 12, left: 188 });
    expect(current.day.left).toBe(5);
    expect(readApolloRateLimit(new Headers({ "x-rate-limit-daily": "6000", "x-daily-requests-left": "0" })).day).toEqual({
      limit: 6000,
      used: undefined,
      left: 0,
    });
  });

  it("waits out an exhausted minute to the next boundary, and gives up on an exhausted hour or day", () => {
    const now = Date.parse("2026-11-30T12:00:45Z");
    expect(adviseOnApolloRateLimit(limited({ "x-minute-requests-left": "0" }), "", now)).toEqual({ waitMs: 16_000 });
    // In the first second of a minute: a minute at most, which a call waits (DEFAULT maxRetryAfterMs).
    const early = Date.parse("2026-01-01T10:00:00.300Z");
    expect(adviseOnApolloRateLimit(limited({ "x-minute-requests-left": "0" }), "", early)).toEqual({ waitMs: 60_000 });
    expect(adviseOnApolloRateLimit(limited({ "x-hourly-requests-left": "0", "x-rate-limit-hourly": "600" }), "", now).giveUp).toMatch(
      /hourly limit for this call is used up \(600 calls\)/,
    );
    expect(adviseOnApolloRateLimit(limited({ "x-24-hour-requests-left": "0" }), "", now).giveUp).toMatch(/daily limit/);
  });

  it("reads the window from the 429 message when no header says it", () => {
    expect(adviseOnApolloRateLimit(limited({}), PER_HOUR).giveUp).toMatch(/hourly limit/);
    expect(adviseOnApolloRateLimit(limited({}), "")).toEqual({});
  });
});

describe("how long an import's job sleeps for Apollo's limits", () => {
  it("waits for the next window only when one is used up, the longest first", () => {
    const rate = (minute?: number, hour?: number, day?: number) => ({ minute: { left: minute }, hour: { left: hour }, day: { left: day } });
    expect(apolloWindowWait(undefined)).toBe(0);
    expect(apolloWindowWait(rate(5, 10, 100))).toBe(0);
    expect(apolloWindowWait(rate(0, 10, 100))).toBe(60_000);
    expect(apolloWindowWait(rate(0, 0, 100))).toBe(3_600_000);
    expect(apolloWindowWait(rate(3, 0, 0))).toBe(86_400_000);
  });

  it("after a 429 the call gave up on: the wait it was told, else the window named", () => {
    expect(apolloLimitWait("anything", 42_000)).toBe(42_000);
    expect(apolloLimitWait("Apollo's hourly limit for this call is used up (600 calls). It resets within the hour.", undefined)).toBe(
      3_600_000,
    );
    expect(apolloLimitWait("Apollo's daily limit for this call is used up. It resets within a day.", undefined)).toBe(86_400_000);
    expect(apolloLimitWait("Apollo is limiting us.", undefined)).toBe(60_000);
  });
});
