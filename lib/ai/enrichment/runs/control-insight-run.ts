import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb, type Database } from "@/db";
import { aiEnrichmentRuns, type AiEnrichmentRunStatus } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { assertCanEnrichWithAi, type InsightActor } from "./start-insight-run";

/**
 * Following, pausing, resuming and cancelling an AI enrichment run: the person who started it,
 * or a manager or an admin. The run is read as the person (RLS), then moved on the service
 * connection, scoped by workspace, only from the states it makes sense in; the job reads the
 * status before each chunk, so a pause or cancel takes effect when the chunk under way ends.
 */
export const ZInsightRunRef = z.object({ runId: z.uuid("That enrichment is not valid.") });

export type InsightRunProgress = {
  runId: string;
  status: AiEnrichmentRunStatus;
  total: number;
  processed: number;
  enriched: number;
  cached: number;
  failed: number;
  skipped: number;
  costUsd: number;
  estimatedCostUsd: number;
  fetchHomepage: boolean;
  failures: { leadId: string; reason: string }[];
  /** Why it stopped or paused itself (the budget, a model server that is down), if it did. */
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
};

const progressColumns = {
  runId: aiEnrichmentRuns.id,
  status: aiEnrichmentRuns.status,
  total: sql<number>`cardinality(${aiEnrichmentRuns.leadIds})`.mapWith(Number),
  processed: aiEnrichmentRuns.cursor,
  enriched: aiEnrichmentRuns.enriched,
  cached: aiEnrichmentRuns.cached,
  failed: aiEnrichmentRuns.failed,
  skipped: aiEnrichmentRuns.skipped,
  costUsd: aiEnrichmentRuns.costUsd,
  estimatedCostUsd: aiEnrichmentRuns.estimatedCostUsd,
  fetchHomepage: aiEnrichmentRuns.fetchHomepage,
  failures: aiEnrichmentRuns.failures,
  error: aiEnrichmentRuns.error,
  createdAt: sql<string>`${aiEnrichmentRuns.createdAt}::text`,
  finishedAt: sql<string | null>`${aiEnrichmentRuns.finishedAt}::text`,
};

export async function getInsightRunProgress(tx: Database, actor: InsightActor, runId: string): Promise<InsightRunProgress> {
  const [row] = await tx
    .select(progressColumns)
    .from(aiEnrichmentRuns)
    .where(and(eq(aiEnrichmentRuns.id, runId), eq(aiEnrichmentRuns.workspaceId, actor.workspaceId)));
  if (!row) throw notFound("That enrichment");
  return row;
}

/** The runs started from an import's page, newest first (its page shows them). */
export async function listImportInsightRuns(tx: Database, actor: InsightActor, importId: string): Promise<InsightRunProgress[]> {
  return tx
    .select(progressColumns)
    .from(aiEnrichmentRuns)
    .where(and(eq(aiEnrichmentRuns.workspaceId, actor.workspaceId), eq(aiEnrichmentRuns.importId, importId)))
    .orderBy(desc(aiEnrichmentRuns.createdAt))
    .limit(5);
}

async function loadForChange(tx: Database, actor: InsightActor, runId: string) {
  assertCanEnrichWithAi(actor);
  const [run] = await tx
    .select({ id: aiEnrichmentRuns.id, status: aiEnrichmentRuns.status, requestedBy: aiEnrichmentRuns.requestedBy })
    .from(aiEnrichmentRuns)
    .where(and(eq(aiEnrichmentRuns.id, runId), eq(aiEnrichmentRuns.workspaceId, actor.workspaceId)));
  if (!run) throw notFound("That enrichment");
  if (run.requestedBy !== actor.userId && !can(actor.role, "leads.edit_all")) {
    throw forbidden("Only the person who started this enrichment, a manager or an admin can change it.");
  }
  return run;
}

const NAMES: Record<AiEnrichmentRunStatus, string> = {
  queued: "queued",
  running: "running",
  paused: "paused",
  completed: "finished",
  failed: "stopped after an error",
  cancelled: "cancelled",
};

async function move(
  actor: InsightActor,
  runId: string,
  from: AiEnrichmentRunStatus[],
  patch: Partial<typeof aiEnrichmentRuns.$inferInsert>,
) {
  const moved = await serviceDb()
    .update(aiEnrichmentRuns)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(aiEnrichmentRuns.id, runId), eq(aiEnrichmentRuns.workspaceId, actor.workspaceId), inArray(aiEnrichmentRuns.status, from)))
    .returning({ id: aiEnrichmentRuns.id });
  if (moved.length === 0) throw new AppError("conflict", "The enrichment changed meanwhile: reload to see where it is.");
}

export async function pauseInsightRun(tx: Database, actor: InsightActor, runId: string): Promise<{ status: AiEnrichmentRunStatus }> {
  const run = await loadForChange(tx, actor, runId);
  if (run.status !== "queued" && run.status !== "running") {
    throw new AppError("conflict", `This enrichment is ${NAMES[run.status]}: only a running one can be paused.`);
  }
  await move(actor, runId, ["queued", "running"], { status: "paused", error: null });
  return { status: "paused" };
}

/** Queues a paused run again; the caller sends a new event, whose job continues from the cursor. */
export async function resumeInsightRun(tx: Database, actor: InsightActor, runId: string): Promise<{ status: AiEnrichmentRunStatus }> {
  const run = await loadForChange(tx, actor, runId);
  if (run.status !== "paused") throw new AppError("conflict", `This enrichment is ${NAMES[run.status]}: only a paused one can be resumed.`);
  await move(actor, runId, ["paused"], { status: "queued", error: null });
  return { status: "queued" };
}

/** Stops the run for good: the leads already enriched keep their results. */
export async function cancelInsightRun(tx: Database, actor: InsightActor, runId: string): Promise<{ status: AiEnrichmentRunStatus }> {
  const run = await loadForChange(tx, actor, runId);
  if (run.status !== "queued" && run.status !== "running" && run.status !== "paused") {
    throw new AppError("conflict", `This enrichment is ${NAMES[run.status]}: there is nothing to cancel.`);
  }
  await move(actor, runId, ["queued", "running", "paused"], {
    status: "cancelled",
    error: "Cancelled: the leads already enriched keep their results.",
    finishedAt: sql`now()` as unknown as Date,
  });
  return { status: "cancelled" };
}
