import os from "node:os";

/** The p-quantile of a list of times (nearest rank). */
export const q = (xs: number[], p: number) => {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
};

export const s = (v: number) => `${(v / 1000).toFixed(1)} s`;

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

export type BothFigures = { p50: number; p95: number; floorP50: number; floorP95: number; cpu: number; floorCpu: number };

/**
 * Runs both alternately (so background noise hits both alike): 3 warm-ups, then `runs` timed, the
 * one that goes first swapping every round (so neither always follows the other's work: its
 * cache misses, its garbage to collect). A p95 is the runs × 0.95th time, so with few runs two
 * or three stalls of a shared machine decide it: 100 or more keep it a measure of the request.
 * `a` and `b` get the round's number (to walk pages, each round its own).
 */
export async function timeBoth(
  a: (round: number) => Promise<unknown>,
  b: (round: number) => Promise<unknown>,
  runs: number,
): Promise<BothFigures> {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < 3; i++) {
    await a(i);
    await b(i);
  }
  const cpu = { a: 0, b: 0 };
  const timed = async (run: (round: number) => Promise<unknown>, round: number, into: number[], side: "a" | "b") => {
    const c = process.cpuUsage();
    const t = performance.now();
    await run(round);
    into.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu[side] += (used.user + used.system) / 1000;
  };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      await timed(a, i, ta, "a");
      await timed(b, i, tb, "b");
    } else {
      await timed(b, i, tb, "b");
      await timed(a, i, ta, "a");
    }
  }
  return { p50: q(ta, 0.5), p95: q(ta, 0.95), floorP50: q(tb, 0.5), floorP95: q(tb, 0.95), cpu: cpu.a / runs, floorCpu: cpu.b / runs };
}
