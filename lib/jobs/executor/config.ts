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
   * At full size on a quiet machine (10,000 leads, 10 mailboxes, load under 3, 2026-12-05,
   * interleaved 96/64/128 twice, after one run at 96 and one at 64): 96 → 17.6, 16.7 and 18.5 s to all
   * first steps (2.58, 2.71, 2.6× the floor); 64 → 19.1, 18.2 and 19.1 s (2.72, 2.4, 3.1×); 128 →
   * 19.5 and 19.1 s (3.09× both). The machine was not short of CPU at 64 (about 75% of both
   * cores, the rest waiting on WAL flushes): more emails in flight share each flush and each
   * batched statement. 128 was slower again; its cause was not looked into (ten mailboxes allow
   * a hundred sends at once, and the pool stays at eight connections).
   */
  concurrency: 96,
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
