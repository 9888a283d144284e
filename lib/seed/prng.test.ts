import { describe, expect, it } from "vitest";
import { createRandom } from "./prng";

describe("createRandom", () => {
  it("gives the same stream for the same seed and another for another seed", () => {
    const draw = (seed: string) => {
      const r = createRandom(seed);
      return [r.next(), r.int(1, 6), r.uuid(), r.hex(8), r.pick(["a", "b", "c"])];
    };
    expect(draw("acme")).toEqual(draw("acme"));
    expect(draw("acme")).not.toEqual(draw("globex"));
  });

  it("stays within its bounds and draws UUIDs of version 4", () => {
    const r = createRandom("bounds");
    for (let i = 0; i < 2000; i++) {
      const n = r.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(Array.from({ length: 500 }, () => r.int(1, 4)))).toEqual(new Set([1, 2, 3, 4]));
  });

  it("picks by weight and samples distinct items", () => {
    const r = createRandom("weights");
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++)
      counts[
        r.weighted([
          ["a", 9],
          ["b", 1],
        ] as const)
      ]++;
    expect(counts.a / 10_000).toBeGreaterThan(0.87);
    expect(counts.a / 10_000).toBeLessThan(0.93);
    const sample = r.sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(sample).size).toBe(4);
  });
});
