import { describe, expect, it } from "vitest";
import { backoffMs, retryAfterMs } from "./retry-after";

describe("retryAfterMs", () => {
  const now = Date.parse("2026-11-30T12:00:00Z");
  it("reads delta-seconds and HTTP dates", () => {
    expect(retryAfterMs("7", now)).toBe(7000);
    expect(retryAfterMs("0.5", now)).toBe(500);
    expect(retryAfterMs("Mon, 30 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
  });
  it("ignores what it cannot read and never waits a negative time", () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs("Mon, 30 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });
});

describe("backoffMs", () => {
  it("doubles up to the cap, jittered below it", () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffMs(n, 100, 1000, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffMs(3, 100, 1000, () => 0.5)).toBe(400);
  });
});
