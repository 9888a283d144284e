import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jobEvents, jobRuns, type JobRunStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { decodeJobRunCursor, encodeJobRunCursor } from "./cursor";
import { durationOf, type JobRunSummary } from "./job-run-types";

export type ListJobRunsInput = {
  workspaceId: string;
  functionId?: string;
  status?: JobRunStatus | readonly JobRunStatus[];
  /** Runs created at or after this moment. */
  from?: Date;
  /** Runs created before this moment. */
  to?: Date;
  /** Runs whose event data contains this, e.g. `{ importId }` to link an import to its runs. */
  eventData?: Record<string, unknown>;
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
};

export type JobRunPage = { runs: JobRunSummary[]; nextCursor: string | null };

const MAX_LIMIT = 200;

export const runSummaryColumns = {
  id: jobRuns.id,
  functionId: jobRuns.functionId,
  eventId: jobRuns.eventId,
  eventName: jobEvents.name,
  status: jobRuns.status,
  attempts: sql<number>`(1 + ${jobRuns.attempt} + coalesce((
    select sum(greatest(s.attempts - 1, 0)) from job_steps s where s.run_id = ${jobRuns.id}), 0))::int`,
  createdAt: jobRuns.createdAt,
  startedAt: jobRuns.startedAt,
  endedAt: jobRuns.endedAt,
  error: jobRuns.error,
  replayOf: jobRuns.replayOf,
  failureOf: jobRuns.failureOf,
};

/** The workspace's runs, newest first, filtered and paginated (keyset on created_at, id). */
export async function listJobRuns(db: Executor, input: ListJobRunsInput): Promise<JobRunPage> {
  const limit = Math.min(Math.max(1, input.limit ?? 50), MAX_LIMIT);
  const where: SQL[] = [eq(jobRuns.workspaceId, input.workspaceId)];
  if (input.functionId) where.push(eq(jobRuns.functionId, input.functionId));
  if (input.status !== undefined) {
    const statuses: readonly JobRunStatus[] = typeof input.status === "string" ? [input.status] : input.status;
    if (statuses.length > 0) where.push(inArray(jobRuns.status, [...statuses]));
  }
  if (input.from) where.push(gte(jobRuns.createdAt, input.from));
  if (input.to) where.push(lt(jobRuns.createdAt, input.to));
  if (input.eventData) where.push(sql`${jobEvents.data} @> ${JSON.stringify(input.eventData)}::jsonb`);
  if (input.cursor) {
    const decoded = decodeJobRunCursor(input.cursor);
    if (!decoded) throw new AppError("invalid_input", "That page link is not valid any more.");
    const { createdAt, id } = decoded;
    where.push(or(lt(jobRuns.createdAt, createdAt), and(eq(jobRuns.createdAt, createdAt), lt(jobRuns.id, id)))!);
  }
  const rows = await db
    .select(runSummaryColumns)
    .from(jobRuns)
    .innerJoin(jobEvents, eq(jobEvents.id, jobRuns.eventId))
    .where(and(...where))
    .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map((r) => ({ ...r, durationMs: durationOf(r.startedAt, r.endedAt) }));
  const last = page.at(-1);
  return { runs: page, nextCursor: rows.length > limit && last ? encodeJobRunCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

/** The functions that have runs in this workspace, for the function filter. */
export async function listJobFunctionIds(db: Executor, { workspaceId }: { workspaceId: string }): Promise<string[]> {
  const rows = await db
    .select({ functionId: jobRuns.functionId })
    .from(jobRuns)
    .where(eq(jobRuns.workspaceId, workspaceId))
    .groupBy(jobRuns.functionId)
    .orderBy(jobRuns.functionId);
  return rows.map((r) => r.functionId);
}
