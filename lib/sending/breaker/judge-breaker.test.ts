import { describe, expect, it } from "vitest";
import { breakerWindow, judgeBreaker } from "./judge-breaker";

const defaults = { bounceRateThreshold: 0.02, complaintRateThreshold: 0.001, breakerMinSends: 100 };

describe("judgeBreaker", () => {
  it("trips when the hard-bounce rate passes the threshold, not when it equals it", () => {
    expect(judgeBreaker({ sends: 100, hardBounces: 2, complaints: 0 }, defaults)).toEqual({ trip: false });
    const verdict = judgeBreaker({ sends: 100, hardBounces: 3, complaints: 0 }, defaults);
    expect(verdict).toEqual({
      trip: true,
      reason: expect.stringContaining("3 of its last 100 emails hard-bounced (3 %, above the 2 % limit)"),
    });
  });

  it("trips on complaints above their own, much lower threshold", () => {
    const verdict = judgeBreaker({ sends: 1000, hardBounces: 0, complaints: 2 }, defaults);
    expect(verdict).toEqual({ trip: true, reason: expect.stringContaining("marked as spam (0.2 %, above the 0.1 % limit)") });
    expect(judgeBreaker({ sends: 1000, hardBounces: 0, complaints: 1 }, defaults)).toEqual({ trip: false });
  });

  it("waits for the minimum number of sends before judging", () => {
    expect(judgeBreaker({ sends: 99, hardBounces: 50, complaints: 5 }, defaults)).toEqual({ trip: false });
    expect(judgeBreaker({ sends: 0, hardBounces: 0, complaints: 0 }, { ...defaults, breakerMinSends: 20 })).toEqual({ trip: false });
    expect(judgeBreaker({ sends: 20, hardBounces: 1, complaints: 0 }, { ...defaults, breakerMinSends: 20 }).trip).toBe(true);
  });

  it("uses the workspace's thresholds", () => {
    expect(judgeBreaker({ sends: 100, hardBounces: 3, complaints: 0 }, { ...defaults, bounceRateThreshold: 0.05 })).toEqual({
      trip: false,
    });
  });
});

describe("breakerWindow", () => {
  it("looks at the latest 100 sends at least, more when the minimum is higher", () => {
    expect(breakerWindow({ ...defaults, breakerMinSends: 20 })).toBe(100);
    expect(breakerWindow({ ...defaults, breakerMinSends: 500 })).toBe(500);
  });
});
