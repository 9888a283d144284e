import { describe, expect, it } from "vitest";
import { availableAt, takeStart, windowOf } from "./throttle";

/** Starts the throttle allows at each instant (ms), in order, as the claim loop asks for them. */
function starts(throttle: { limit: number; periodMs: number; burst: number }, asks: number[]): number[] {
  const window = windowOf(throttle);
  let tat: number | null = null;
  const started: number[] = [];
  for (const at of asks) {
    const next = takeStart(window, tat, at);
    if (next === null) continue;
    tat = next;
    started.push(at);
  }
  return started;
}

describe("throttle (GCRA)", () => {
  it("starts limit + burst at once, then one every period / limit (Inngest's documented example)", () => {
    // limit 2 per 6 s, burst 1: three at once, then one every 3 s.
    const everyHalfSecond = Array.from({ length: 40 }, (_, i) => i * 500);
    const asks = everyHalfSecond.flatMap((t) => [t, t, t]);
    expect(starts({ limit: 2, periodMs: 6_000, burst: 1 }, asks)).toEqual([0, 0, 0, 3_000, 6_000, 9_000, 12_000, 15_000, 18_000]);
  });

  it("without a burst, starts limit at once, then keeps to limit per period", () => {
    const asks = Array.from({ length: 600 }, (_, i) => i * 50);
    const started = starts({ limit: 5, periodMs: 1_000, burst: 0 }, asks);
    // The first five as fast as they are asked for; once the allowance is spent, one every 200 ms.
    expect(started.slice(0, 5)).toEqual([0, 50, 100, 150, 200]);
    const steady = started.slice(10);
    for (let i = 1; i < steady.length; i++) expect(steady[i]! - steady[i - 1]!).toBe(200);
    // Asked every 50 ms for 30 s: the allowance of 5, then one every 200 ms (250, 400, …, 29,800).
    expect(started.length).toBe(5 + 1 + 148);
  });

  it("refills after a quiet spell, but no more than limit + burst", () => {
    expect(starts({ limit: 1, periodMs: 5_000, burst: 2 }, [0, 0, 0, 0, 60_000, 60_000, 60_000, 60_000])).toEqual([
      0, 0, 0, 60_000, 60_000, 60_000,
    ]);
  });

  it("says when the next start will be allowed", () => {
    const window = windowOf({ limit: 2, periodMs: 6_000, burst: 1 });
    let tat: number | null = null;
    for (let i = 0; i < 3; i++) tat = takeStart(window, tat, 0);
    expect(takeStart(window, tat, 2_999)).toBeNull();
    expect(availableAt(window, tat!)).toBe(3_000);
    expect(takeStart(window, tat, 3_000)).not.toBeNull();
  });
});
