import { describe, expect, it } from "vitest";
import { formatElapsed, formatFileSize, formatRate, formatTimeLeft, importFigures, type ImportClock } from "./import-figures";

const START = Date.parse("2026-11-30T10:00:00Z");
const clock = (over: Partial<ImportClock>): ImportClock => ({
  status: "running",
  totalRows: 1000,
  processedRows: 0,
  startedAt: new Date(START),
  finishedAt: null,
  ...over,
});

describe("importFigures", () => {
  it("waits for the job to start before it shows a duration, a rate or a time left", () => {
    expect(importFigures(clock({ status: "queued", startedAt: null }), START + 5_000)).toEqual({
      percent: 0,
      durationMs: null,
      rowsPerSecond: null,
      remainingMs: null,
    });
  });

  it("gives the rate so far and the time left at that rate while running", () => {
    const figures = importFigures(clock({ processedRows: 250 }), START + 10_000);
    expect(figures).toEqual({ percent: 25, durationMs: 10_000, rowsPerSecond: 25, remainingMs: 30_000 });
  });

  it("rounds the percent down, so 100 % means every row is accounted for", () => {
    expect(importFigures(clock({ totalRows: 1_000_000, processedRows: 999_999 }), START + 60_000).percent).toBe(99);
    expect(importFigures(clock({ status: "completed", processedRows: 1000, finishedAt: new Date(START + 4_000) })).percent).toBe(100);
  });

  it("shows no rate in the first second, when one batch would swing it wildly", () => {
    expect(importFigures(clock({ processedRows: 500 }), START + 400).rowsPerSecond).toBeNull();
  });

  it("measures a finished import from start to finish, whatever the time now, and has no time left", () => {
    const done = clock({ status: "completed", processedRows: 1000, finishedAt: new Date(START + 500) });
    expect(importFigures(done, START + 3_600_000)).toEqual({ percent: 100, durationMs: 500, rowsPerSecond: 2000, remainingMs: null });
  });

  it("has no time left while paused (nothing moves) but keeps the duration", () => {
    const paused = importFigures(clock({ status: "paused", processedRows: 400 }), START + 20_000);
    expect(paused.remainingMs).toBeNull();
    expect(paused.durationMs).toBe(20_000);
  });

  it("leaves the time it was paused out of its duration, rate and time left", () => {
    const HOUR = 3_600_000;
    // Ran 10 s (10,000 rows), paused an hour, resumed, ran 10 s more (10,000 rows).
    const resumed = clock({ totalRows: 100_000, processedRows: 20_000, pausedMs: HOUR });
    expect(importFigures(resumed, START + 20_000 + HOUR)).toEqual({
      percent: 20,
      durationMs: 20_000,
      rowsPerSecond: 1_000,
      remainingMs: 80_000,
    });
    // Paused for 20 minutes now, after 10 s of work: the duration stands still.
    const paused = clock({ status: "paused", totalRows: 100_000, processedRows: 10_000, pausedAt: new Date(START + 10_000).toISOString() });
    expect(importFigures(paused, START + 10_000 + HOUR / 3)).toMatchObject({ durationMs: 10_000, rowsPerSecond: 1_000, remainingMs: null });
    // Paused while it waited its turn, before its first batch: nothing to leave out yet.
    const waiting = clock({ status: "paused", startedAt: null, pausedAt: new Date(START).toISOString() });
    expect(importFigures(waiting, START + HOUR)).toMatchObject({ durationMs: null, rowsPerSecond: null });
    // Cancelled while paused: the pause was added up when it ended.
    const cancelled = clock({ status: "cancelled", processedRows: 500, pausedMs: HOUR, finishedAt: new Date(START + 5_000 + HOUR) });
    expect(importFigures(cancelled, START + 2 * HOUR)).toMatchObject({ durationMs: 5_000, rowsPerSecond: 100 });
  });

  it("reads ISO strings as the JSON poll sends them", () => {
    const figures = importFigures(
      clock({
        processedRows: 100,
        startedAt: new Date(START).toISOString(),
        finishedAt: new Date(START + 2_000).toISOString(),
        status: "cancelled",
      }),
    );
    expect(figures.durationMs).toBe(2_000);
    expect(figures.rowsPerSecond).toBe(50);
  });

  it("counts an empty finished import as done", () => {
    expect(importFigures(clock({ status: "completed", totalRows: 0, finishedAt: new Date(START) })).percent).toBe(100);
  });
});

describe("formatting", () => {
  it("writes rates, durations, time left and sizes in words", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(0.25)).toBe("0.3 rows/s");
    expect(formatRate(18_734.6)).toBe("18,735 rows/s");
    expect(formatElapsed(850)).toBe("850 ms");
    expect(formatElapsed(12_400)).toBe("12 s");
    expect(formatElapsed(185_000)).toBe("3 min 05 s");
    expect(formatElapsed(3_725_000)).toBe("1 h 02 min");
    expect(formatTimeLeft(400)).toBe("about 1 s");
    expect(formatTimeLeft(0)).toBe("finishing");
    expect(formatTimeLeft(125_000)).toBe("about 3 min");
    expect(formatFileSize(812)).toBe("812 B");
    expect(formatFileSize(14_540)).toBe("14.2 KB");
    expect(formatFileSize(301_365_248)).toBe("287.4 MB");
  });
});
