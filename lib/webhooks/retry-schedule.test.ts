import { describe, expect, it } from "vitest";
import { parseRetrySchedule, retryDelayAfter } from "./retry-schedule";

describe("webhook retry schedule", () => {
  it("reads Standard Webhooks' schedule and shortened ones", () => {
    expect(parseRetrySchedule("5s,5m,30m,2h,5h,10h")).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000]);
    expect(parseRetrySchedule(" 10ms , 20ms ")).toEqual([10, 20]);
    expect(() => parseRetrySchedule("5x")).toThrow(/not a duration/);
  });

  it("gives the wait after each failed attempt, and none after the last", () => {
    const schedule = [5_000, 300_000];
    expect(retryDelayAfter(1, schedule)).toBe(5_000);
    expect(retryDelayAfter(2, schedule)).toBe(300_000);
    expect(retryDelayAfter(3, schedule)).toBeNull();
  });
});
