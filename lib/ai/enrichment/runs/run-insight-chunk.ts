import "server-only";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { aiEnrichmentRuns, aiUsage, leads, workspaceMembers } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { canEditLead } from "@/lib/leads/lead-permissions";
import type { AiModel } from "../../model";
import { enrichLeadInsights } from "../enrich-leads";
import { fetchHomepageText } from "../homepage";
import type { InsightRunRef } from "./start-insight-run";

/**
 * One step of an AI enrichment run: the next CHUNK leads through enrichLeadInsights (each lead's
 * answer, cache entry and usage committed together as it comes), then the run's cursor, counts
 * and cost in one statement guarded by the cursor it started from. A retried or replayed step
 * finds the leads it already answered in the cache and pays nothing for them again.
 *
 * The run's status is read before every chunk: a pause or cancel takes effect when the chunk
 * under way ends. At the month's budget the run pauses itself, saying so (an admin can raise
 * the budget, then the run is resumed). A lead the model cannot answer in the schema fails
 * alone; a model server that is down throws (the job fails the run with the message, keeping
 * every lead already written).
 */
export const INSIGHT_CHUNK = 50;
const MAX_KEPT_FAILURES = 20;

export type InsightChunkOutcome =
  { state: "more" | "done"; processed: number; total: number } | { state: "stopped"; status: string; reason: string | null };

export type InsightChunkOptions = {
  /** Tests and scripts bring their own model; otherwise the configured one. */
  ai?: AiModel;
  homepageText?: (domain: string) => Promise<string | null>;
  /** Calls in flight at once (enrichLeadInsights' default otherwise). */
  concurrency?: number;
};

type Run = typeof aiEnrichmentRuns.$inferSelect;

export async function enrichNextInsightChunk(ref: InsightRunRef, options: InsightChunkOptions = {}): Promise<InsightChunkOutcome> {
  const db = serviceDb();
  const scope = and(eq(aiEnrichmentRuns.id, ref.runId), eq(aiEnrichmentRuns.workspaceId, ref.workspaceId));
  const [run] = await db.select().from(aiEnrichmentRuns).where(scope);
  if (!run) return { state: "stopped", status: "deleted", reason: "The enrichment was deleted." };
  if (run.status !== "queued" && run.status !== "running") return { state: "stopped", status: run.status, reason: run.error };
  const total = run.leadIds.length;
  const from = run.cursor;
  if (from >= total) return { state: "done", processed: from, total };

  const [member] = await db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, ref.workspaceId), eq(workspaceMembers.userId, run.requestedBy)));
  if (!member || !can(member.role, "enrichment.run") || !can(member.role, "leads.edit_own")) {
    const reason = "Stopped: the person who started this enrichment may no longer enrich leads here. Nothing more was spent.";
    await failInsightRun(ref, reason);
    return { state: "stopped", status: "failed", reason };
  }
  // Only from queued: a cancel or a pause that landed since the run was read stands.
  if (run.status === "queued") {
    await db
      .update(aiEnrichmentRuns)
      .set({ status: "running", updatedAt: new Date() })
      .where(and(scope, eq(aiEnrichmentRuns.status, "queued")));
  }

  // Leads handed to another rep since the start are left alone, as the rep could not edit them now.
  const ids = run.leadIds.slice(from, from + INSIGHT_CHUNK);
  const owners = await db
    .select({ id: leads.id, ownerId: leads.ownerId })
    .from(leads)
    .where(and(eq(leads.workspaceId, ref.workspaceId), inArray(leads.id, ids)));
  const permitted = new Set(owners.filter((o) => canEditLead(member.role, run.requestedBy, o.ownerId)).map((o) => o.id));
  const asked = ids.filter((id) => permitted.has(id));

  const { outcomes, stopped } = await enrichLeadInsights(
    db,
    { workspaceId: ref.workspaceId, leadIds: asked },
    {
      ...(options.ai ? { ai: options.ai } : {}),
      runId: run.id,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(run.fetchHomepage ? { homepageText: options.homepageText ?? ((domain: string) => fetchHomepageText(domain)) } : {}),
    },
  );

  const count = (state: string) => outcomes.filter((o) => o.state === state).length;
  const failures = outcomes.flatMap((o) => (o.state === "failed" ? [{ leadId: o.leadId, reason: o.reason }] : []));
  // At the budget the chunk is not counted: its leads answered so far come back from the cache (free) after a resume.
  const to = stopped ? from : from + ids.length;
  const moved = await db
    .update(aiEnrichmentRuns)
    .set({
      cursor: to,
      ...(stopped
        ? {
            // Paused at the budget, unless someone cancelled it meanwhile: a cancel is never undone here.
            status: sql`case when ${aiEnrichmentRuns.status} = 'cancelled' then ${aiEnrichmentRuns.status} else 'paused' end`,
            error: stopped.slice(0, 1000),
          }
        : {
            enriched: sql`${aiEnrichmentRuns.enriched} + ${count("enriched")}`,
            cached: sql`${aiEnrichmentRuns.cached} + ${count("cached")}`,
            failed: sql`${aiEnrichmentRuns.failed} + ${count("failed")}`,
            skipped: sql`${aiEnrichmentRuns.skipped} + ${ids.length - asked.length + count("not_found")}`,
            failures: sql`(${aiEnrichmentRuns.failures} || ${JSON.stringify(failures)}::jsonb)`,
          }),
      // What the run has spent is what the ledger holds for it: exact, whatever was retried.
      costUsd: sql`(select coalesce(sum(${aiUsage.costUsd}), 0) from ${aiUsage} where ${aiUsage.workspaceId} = ${ref.workspaceId} and ${aiUsage.runId} = ${run.id})`,
      updatedAt: new Date(),
    })
    .where(and(scope, eq(aiEnrichmentRuns.cursor, from), inArray(aiEnrichmentRuns.status, ["queued", "running", "paused", "cancelled"])))
    .returning({ status: aiEnrichmentRuns.status });
  if (moved.length === 0) throw new Error(`The AI enrichment ${run.id} moved on while this chunk was being enriched.`);
  await trimFailures(run);
  if (stopped) return { state: "stopped", status: moved[0]!.status === "cancelled" ? "cancelled" : "paused", reason: stopped };
  return { state: to >= total ? "done" : "more", processed: to, total };
}

/** Keeps the first failures only: the run's row stays small however many leads fail. */
async function trimFailures(run: Run): Promise<void> {
  await serviceDb()
    .update(aiEnrichmentRuns)
    .set({
      failures: sql`(select coalesce(jsonb_agg(f), '[]'::jsonb) from (select f from jsonb_array_elements(${aiEnrichmentRuns.failures}) f limit ${MAX_KEPT_FAILURES}) x)`,
    })
    .where(
      and(
        eq(aiEnrichmentRuns.id, run.id),
        eq(aiEnrichmentRuns.workspaceId, run.workspaceId),
        sql`jsonb_array_length(${aiEnrichmentRuns.failures}) > ${MAX_KEPT_FAILURES}`,
      ),
    );
}

export async function finishInsightRun(ref: Pick<InsightRunRef, "workspaceId" | "runId">): Promise<void> {
  await serviceDb()
    .update(aiEnrichmentRuns)
    .set({
      status: "completed",
      finishedAt: sql`coalesce(${aiEnrichmentRuns.finishedAt}, now())` as unknown as Date,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(aiEnrichmentRuns.id, ref.runId),
        eq(aiEnrichmentRuns.workspaceId, ref.workspaceId),
        inArray(aiEnrichmentRuns.status, ["queued", "running"]),
        sql`${aiEnrichmentRuns.cursor} = cardinality(${aiEnrichmentRuns.leadIds})`,
      ),
    );
}

export async function failInsightRun(ref: Pick<InsightRunRef, "workspaceId" | "runId">, reason: string): Promise<void> {
  await serviceDb()
    .update(aiEnrichmentRuns)
    .set({
      status: "failed",
      error: reason.slice(0, 1000),
      finishedAt: sql`now()` as unknown as Date,
      updatedAt: new Date(),
      costUsd: sql`(select coalesce(sum(${aiUsage.costUsd}), 0) from ${aiUsage} where ${aiUsage.workspaceId} = ${ref.workspaceId} and ${aiUsage.runId} = ${ref.runId})`,
    })
    .where(
      and(
        eq(aiEnrichmentRuns.id, ref.runId),
        eq(aiEnrichmentRuns.workspaceId, ref.workspaceId),
        ne(aiEnrichmentRuns.status, "completed"),
        ne(aiEnrichmentRuns.status, "cancelled"),
      ),
    );
}
