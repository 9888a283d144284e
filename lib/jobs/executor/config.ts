import type { ExecutorLogger } from "./types";

export const EXECUTOR_DEFAULTS = {
  concurrency: 16,
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
