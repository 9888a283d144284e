import type { ExecutorLogger } from "./types";

export const EXECUTOR_DEFAULTS = {
  /**
   * Runs in flight per executor process (functions keep their own limits on top: one import per
   * workspace, ten sends per mailbox). More runs in flight share more statements and round trips
   * (the claims, the send step's reads and marks, the saves are batched): bench:campaign at 5,000
   * leads, load 9-10, 2026-11-30: 16 → 32.7 CPU s and 47 s; 32 → 27.5 CPU s and 39 s; 64 → 25.4
   * and 35 s. 32 took most of that gain at half the in-flight memory of 64; but once the send
   * step's statements got cheaper, 64 saves more: 3,000 leads, load 12-17, 2026-12-01,
   * interleaved: 32 → 23.5 and 22.9 CPU s, 57 and 62 s; 64 → 19.1 and 19.9 CPU s, 45 and 56 s
   * (each mailbox still sends at most ten at a time: the sequence's own concurrency limit).
   */
  concurrency: 64,
  poolSize: 8,
  leaseMs: 30_000,
  pollMs: 1_000,
  retry: { baseMs: 1_000, maxMs: 10 * 60_000 },
  maxStepsPerRun: 1_000,
  drainMs: 10_000,
  dispatchBatch: 500,
};

export const consoleLogger: ExecutorLogger = {
  debug: (message, meta) => {
    if (process.env.LIP_JOBS_DEBUG) console.debug(`[jobs] ${message}`, meta ?? "");
  },
  info: (message, meta) => console.info(`[jobs] ${message}`, meta ?? ""),
  warn: (message, meta) => console.warn(`[jobs] ${message}`, meta ?? ""),
  error: (message, meta) => console.error(`[jobs] ${message}`, meta ?? ""),
};
