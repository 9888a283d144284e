import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jobEvents, jobRuns, jobSteps } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError, notFound } from "@/lib/errors";
import { systemFunctionId } from "../app-id";
import { payloadOf } from "../executor/dispatcher";
import { JOBS_CHANNEL } from "../executor/store";
import { IN_PROGRESS_STATUSES } from "./job-run-types";

/**
 * The Jobs page's actions. They write with the service-role executor (the job tables have no
 * write policies), so the caller must have checked that the user is an admin of the workspace;
 * every statement is scoped by that workspace, and another workspace's run is "not found".
 */

type RunRef = { workspaceId: string; runId: string };

/**
 * Who asks, for the audit log: a replay or a retry runs a job's vendor calls again (credits,
 * sends, an agent launch), and a cancel stops an import or a launch half-way, so each names its
 * person (the Jobs page) or the command line (an operator, who has no account: `userId` null).
 */
export type RunActor = { userId: string | null; via: "jobs_page" | "cli" };

const VIA_WORDS: Record<RunActor["via"], string> = { jobs_page: "the Jobs page", cli: "the command line" };

async function auditRun(
  tx: Executor,
  ref: RunRef,
  by: RunActor,
  action: "job_run.replayed" | "job_run.cancelled" | "job_run.retried",
  run: { functionId: string },
  extra: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(tx, {
    workspaceId: ref.workspaceId,
    actorId: by.userId,
    action,
    targetType: "job_run",
    targetId: ref.runId,
    metadata: { functionId: run.functionId, via: by.via, ...extra },
  });
}

async function wakeExecutor(db: Executor): Promise<void> {
  await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, 'run')`);
}

async function findRun(db: Executor, { workspaceId, runId }: RunRef) {
  const [run] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.id, runId), eq(jobRuns.workspaceId, workspaceId)));
  if (!run) throw notFound("That job run");
  return run;
}

/**
 * Refuses to start `run`'s work again while a run of the same function for the same event is
 * in progress: the run itself, or an earlier replay of it (a replay clicked twice, or a cron
 * replaying every failed run), would otherwise do the same work at once (launch the same
 * PhantomBuster agent, import the same file). The transaction-scoped lock makes a check and the
 * write after it one step for everyone replaying or retrying that event's runs.
 */
async function assertNotInProgress(tx: Executor, workspaceId: string, run: typeof jobRuns.$inferSelect): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`job-run-event:${run.functionId}:${run.eventId}`}, 0))`);
  const [busy] = await tx
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.workspaceId, workspaceId),
        eq(jobRuns.functionId, run.functionId),
        eq(jobRuns.eventId, run.eventId),
        inArray(jobRuns.status, [...IN_PROGRESS_STATUSES]),
      ),
    )
    // The run itself first: when it is the one in progress, that is what the person is told.
    .orderBy(sql`${jobRuns.id} = ${run.id} desc`)
    .limit(1);
  if (busy?.id === run.id) {
    throw new AppError("conflict", "This run is still in progress: cancel it first, or wait for it to end, then replay it.");
  }
  if (busy) {
    // The run's id goes with the refusal, not into its words: the Jobs page links it, the CLI prints it.
    throw new AppError(
      "conflict",
      "Another run of this job is doing the same work now: cancel it first, or wait for it to end.",
      undefined,
      busy.id,
    );
  }
}

/**
 * Replay: a new run of the same function with the same event, from scratch. Not while a run of
 * that event is in progress (assertNotInProgress).
 */
export async function replayJobRun(db: Executor, ref: RunRef, by: RunActor): Promise<{ runId: string }> {
  return db.transaction(async (tx) => {
    const run = await findRun(tx, ref);
    await assertNotInProgress(tx, ref.workspaceId, run);
    const [replay] = await tx
      .insert(jobRuns)
      .values({
        workspaceId: ref.workspaceId,
        functionId: run.functionId,
        eventId: run.eventId,
        concurrencyKey: run.concurrencyKey,
        concurrencyLimit: run.concurrencyLimit,
        throttleKey: run.throttleKey,
        replayOf: run.id,
        failureOf: run.failureOf,
        nextAt: new Date(),
      })
      .returning({ id: jobRuns.id });
    await auditRun(tx, ref, by, "job_run.replayed", run, { replayId: replay!.id });
    await wakeExecutor(tx);
    return { runId: replay!.id };
  });
}

/**
 * Cancels a run in progress; a step already executing finishes, nothing after it runs. As
 * Inngest does for any cancellation, `inngest/function.cancelled` is sent with the run's event,
 * in the same transaction: the function that follows a job's cancellations puts its business
 * record (an import, an AI run, a launch) in a final state instead of leaving it "running"
 * (inngest/functions/jobs/record-cancelled-run.ts).
 */
export async function cancelJobRun(db: Executor, ref: RunRef, by: RunActor): Promise<void> {
  await db.transaction(async (tx) => {
    const now = new Date();
    const [cancelled] = await tx
      .update(jobRuns)
      .set({
        status: "cancelled",
        nextAt: null,
        leaseOwner: null,
        endedAt: now,
        updatedAt: now,
        error: { name: "Cancelled", message: `Cancelled from ${VIA_WORDS[by.via]}.` },
      })
      .where(and(eq(jobRuns.id, ref.runId), eq(jobRuns.workspaceId, ref.workspaceId), inArray(jobRuns.status, [...IN_PROGRESS_STATUSES])))
      .returning({ id: jobRuns.id, functionId: jobRuns.functionId, eventId: jobRuns.eventId });
    if (!cancelled) {
      await findRun(tx, ref);
      throw new AppError("conflict", "Only a run in progress can be cancelled.");
    }
    await auditRun(tx, ref, by, "job_run.cancelled", cancelled);
    const [event] = await tx.select().from(jobEvents).where(eq(jobEvents.id, cancelled.eventId));
    if (!event) return;
    await tx.insert(jobEvents).values({
      workspaceId: ref.workspaceId,
      name: "inngest/function.cancelled",
      data: {
        function_id: systemFunctionId(cancelled.functionId),
        run_id: cancelled.id,
        error: { name: "Error", message: "function cancelled" },
        event: payloadOf(event),
      },
      ts: now,
    });
    await wakeExecutor(tx);
  });
}

/**
 * Retry from the failed step: the run resumes with every completed step memoized; the failed
 * step (if a step failed) gets a fresh round of attempts, its earlier errors kept for the page.
 */
export async function retryJobRunFromFailedStep(db: Executor, ref: RunRef, by: RunActor): Promise<void> {
  await db.transaction(async (tx) => {
    const run = await findRun(tx, ref);
    if (run.status !== "failed") throw new AppError("conflict", "Only a failed run can be retried from its failed step.");
    await assertNotInProgress(tx, ref.workspaceId, run);
    await tx
      .update(jobSteps)
      .set({ status: "retrying", attempts: 0, error: null, endedAt: null })
      .where(and(eq(jobSteps.runId, run.id), eq(jobSteps.workspaceId, ref.workspaceId), eq(jobSteps.status, "failed")));
    const now = new Date();
    await tx
      .update(jobRuns)
      .set({ status: "queued", attempt: 0, error: null, endedAt: null, nextAt: now, leaseOwner: null, updatedAt: now })
      .where(and(eq(jobRuns.id, run.id), eq(jobRuns.workspaceId, ref.workspaceId), eq(jobRuns.status, "failed")));
    await auditRun(tx, ref, by, "job_run.retried", run);
    await wakeExecutor(tx);
  });
}
