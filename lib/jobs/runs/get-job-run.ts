import { and, asc, desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jobEvents, jobRuns, jobSteps } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { durationOf, type JobRunDetail } from "./job-run-types";
import { runSummaryColumns } from "./list-job-runs";

/** One run of the workspace with its event, its steps in order, its replays and failure handler. */
export async function getJobRun(db: Executor, { workspaceId, runId }: { workspaceId: string; runId: string }): Promise<JobRunDetail> {
  const [run] = await db
    .select({ ...runSummaryColumns, output: jobRuns.output, eventData: jobEvents.data, eventTs: jobEvents.ts })
    .from(jobRuns)
    .innerJoin(jobEvents, eq(jobEvents.id, jobRuns.eventId))
    .where(and(eq(jobRuns.id, runId), eq(jobRuns.workspaceId, workspaceId)));
  if (!run) throw notFound("That job run");
  const [steps, replays, handlers] = await Promise.all([
    db
      .select()
      .from(jobSteps)
      .where(and(eq(jobSteps.runId, runId), eq(jobSteps.workspaceId, workspaceId)))
      .orderBy(asc(jobSteps.id)),
    db
      .select({ id: jobRuns.id, status: jobRuns.status, createdAt: jobRuns.createdAt })
      .from(jobRuns)
      .where(and(eq(jobRuns.replayOf, runId), eq(jobRuns.workspaceId, workspaceId)))
      .orderBy(desc(jobRuns.createdAt)),
    db
      .select({ id: jobRuns.id, status: jobRuns.status })
      .from(jobRuns)
      .where(and(eq(jobRuns.failureOf, runId), eq(jobRuns.workspaceId, workspaceId)))
      .orderBy(desc(jobRuns.createdAt))
      .limit(1),
  ]);
  const { eventData, eventTs, output, ...summary } = run;
  return {
    ...summary,
    durationMs: durationOf(run.startedAt, run.endedAt),
    event: { id: run.eventId, name: run.eventName, data: eventData, ts: eventTs },
    output,
    steps: steps.map((s) => ({
      stepId: s.stepId,
      name: s.name,
      op: s.op,
      status: s.status,
      attempts: s.attempts,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      durationMs: s.endedAt ? durationOf(s.startedAt, s.endedAt) : null,
      output: s.output,
      error: s.error,
      attemptErrors: s.attemptErrors,
      wakeAt: s.wakeAt,
      waitEvent: s.waitEvent,
    })),
    replays,
    failureHandlerRun: handlers[0] ?? null,
  };
}
