import type { Sql } from "postgres";
import type { RetryPolicy } from "./backoff";
import type { Registry } from "./registry";
import type { Clock } from "./time";
import type { WriteQueue } from "./write-queue";

export type ExecutorLogger = {
  debug: (message: string, meta?: Record<string, unknown>) => void;
  info: (message: string, meta?: Record<string, unknown>) => void;
  warn: (message: string, meta?: Record<string, unknown>) => void;
  error: (message: string, meta?: Record<string, unknown>) => void;
};

export type StepHookInfo = { runId: string; functionId: string; stepId: string; op: string };

/** Points where tests stop the process (fault injection) or observe progress. */
export type ExecutorHooks = {
  /** The step's callback has returned (its side effect is done); its result is not saved yet. */
  beforeStepSaved?: (info: StepHookInfo) => Promise<void> | void;
  /** The step's result is saved; the next step has not started. */
  afterStepSaved?: (info: StepHookInfo) => Promise<void> | void;
};

/** An event a run sends, as the executor stores it. */
export type OutgoingEvent = { name: string; data: Record<string, unknown>; id?: string; ts?: number };

export type ExecutionEnv = {
  sql: Sql;
  /** Batched writes of the hot path (group commit). */
  writes: WriteQueue;
  owner: string;
  clock: Clock;
  registry: Registry;
  logger: ExecutorLogger;
  hooks: ExecutorHooks;
  retry: RetryPolicy;
  maxOutputBytes: number;
  maxStepsPerRun: number;
  /** Rejects events whose payload fails its schema, naming the field. */
  validateEvents: (events: OutgoingEvent[]) => Promise<void>;
  isStopping: () => boolean;
  onEventsSent: () => void;
};
