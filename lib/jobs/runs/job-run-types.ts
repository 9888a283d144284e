import type { JobAttemptError, JobError, JobRunStatus, JobStepOp, JobStepStatus } from "@/db/schema";

/** A row of the Jobs page's runs table. */
export type JobRunSummary = {
  id: string;
  functionId: string;
  eventId: string;
  eventName: string;
  status: JobRunStatus;
  /** Every execution attempt made: 1 when nothing was retried. */
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  /** Ended minus started; null until the run has started. For a run in progress, so far. */
  durationMs: number | null;
  error: JobError | null;
  replayOf: string | null;
  failureOf: string | null;
};

export type JobStepDetail = {
  stepId: string;
  name: string | null;
  op: JobStepOp;
  status: JobStepStatus;
  attempts: number;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  output: unknown;
  error: JobError | null;
  attemptErrors: JobAttemptError[];
  /** A sleep's wake-up or a wait's timeout. */
  wakeAt: Date | null;
  waitEvent: string | null;
};

export type JobRunDetail = JobRunSummary & {
  event: { id: string; name: string; data: Record<string, unknown>; ts: Date };
  output: unknown;
  steps: JobStepDetail[];
  /** Later runs of the same event started with Replay. */
  replays: { id: string; status: JobRunStatus; createdAt: Date }[];
  /** The onFailure handler's run, when this run failed and the function has one. */
  failureHandlerRun: { id: string; status: JobRunStatus } | null;
};

export function durationOf(startedAt: Date | null, endedAt: Date | null, now = Date.now()): number | null {
  if (!startedAt) return null;
  return Math.max(0, (endedAt?.getTime() ?? now) - startedAt.getTime());
}

/** Statuses of a run that has not ended: it can still be cancelled, and its page refreshes itself. */
export const IN_PROGRESS_STATUSES = ["queued", "running", "sleeping", "waiting"] as const satisfies readonly JobRunStatus[];

export function isInProgress(status: JobRunStatus): boolean {
  return (IN_PROGRESS_STATUSES as readonly JobRunStatus[]).includes(status);
}
