import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { serviceDb, type Database } from "@/db";
import { aiEnrichmentRuns, AI_ENRICHMENT_MAX_LEADS, leadActivities, leads } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, forbidden } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { ZBulkSelection } from "@/lib/leads/bulk/schemas";
import { selectionCondition } from "@/lib/leads/bulk/selection-sql";
import { canEditLead } from "@/lib/leads/lead-permissions";
import { env } from "@/lib/env";
import { aiModel, AiNotConfigured, modelProvider, NO_MODEL_CONFIGURED, type AiEnv } from "../../model";
import { billedPrice, costUsd, UnpricedModel } from "../../pricing";
import { getAiSettings, hasIdealCustomerProfile, ICP_MISSING, spentThisMonthUsd, type AiSettings } from "../../settings";
import { loadInsightLeads, profileOf, readInsightCache } from "../enrich-leads";
import { HOMEPAGE_MAX_TOKENS } from "../homepage";
import { estimateLeadInsights, leadInsightCacheKey } from "../lead-insight";

/**
 * Enriching leads with the model (icebreaker, company summary, fit score): first the estimate,
 * free and shown before anything is spent — the leads, those already answered (the cache, no
 * cost), the prompt tokens counted with the model's tokenizer, the expected completion, the
 * cost at the workspace's prices, against what is left of the month's budget; then, once
 * confirmed, a run (ai_enrichment_runs) whose job enriches the leads in chunks.
 *
 * The leads are a selection of the leads table (ids, or its filter with the count the person
 * confirmed) or every lead an import wrote. Only leads the person may edit are enriched.
 */
export type InsightActor = { workspaceId: string; userId: string; role: WorkspaceRole };

export const ZInsightTarget = z.union([
  z.object({ selection: ZBulkSelection }),
  z.object({ importId: z.uuid("That import is not valid.") }),
]);
export type InsightTarget = z.output<typeof ZInsightTarget>;

export const ZEstimateInsightRun = z.object({
  target: ZInsightTarget,
  /** Fetch each company's public homepage first and give its text to the model. */
  fetchHomepage: z.boolean().default(false),
});
export const ZStartInsightRun = ZEstimateInsightRun.extend({
  /** The estimate the person agreed to: a start that would now cost clearly more is refused. */
  confirmedCostUsd: z.number({ message: "Check the estimate first." }).min(0),
});

export type InsightRunEstimate = {
  leads: number;
  /** Leads of other sales reps: left alone. */
  notPermitted: number;
  /** Answered before with the same inputs: written from the cache, no cost. */
  cached: number;
  toAsk: number;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** null: no monthly budget. */
  budgetUsd: number | null;
  spentUsd: number;
  remainingUsd: number | null;
  /** The estimate is more than what is left: the run will stop at the budget. */
  exceedsBudget: boolean;
  fetchHomepage: boolean;
};

export function assertCanEnrichWithAi(actor: InsightActor): void {
  if (!can(actor.role, "enrichment.run") || !can(actor.role, "leads.edit_own")) {
    throw forbidden("Your role can read leads but not enrich them. Ask a sales rep, a manager or an admin.");
  }
}

/** The configured model's name, or the plain message saying none is configured and how to configure one. */
export function configuredModel(model: string | null, e: AiEnv = env()): string {
  try {
    return aiModel({ model }, e).model;
  } catch (error) {
    if (error instanceof AiNotConfigured) throw new AppError("unavailable", NO_MODEL_CONFIGURED);
    throw error;
  }
}

/** The model's price for the budget, or the plain message saying it has none (billedPrice). */
function pricedForBudget(model: string, prices: AiSettings["prices"]) {
  try {
    return billedPrice(model, prices, modelProvider());
  } catch (error) {
    if (error instanceof UnpricedModel) throw new AppError("unavailable", error.message);
    throw error;
  }
}

function targetCondition(actor: InsightActor, target: InsightTarget): SQL {
  if ("importId" in target) {
    // The leads the import wrote, as their timelines say ("imported from <file>").
    return sql`${leads.workspaceId} = ${actor.workspaceId} and ${leads.deletedAt} is null and ${leads.id} in (
      select a.lead_id from ${leadActivities} a where a.workspace_id = ${actor.workspaceId} and a.type = 'imported'
        and a.payload ->> 'importId' = ${target.importId})`;
  }
  const s = target.selection;
  return selectionCondition("ids" in s ? { kind: "ids", ids: s.ids } : { kind: "filter", query: s.filter }, {
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    restoring: false,
  });
}

/** The target's live leads as the person sees them (RLS), those they may edit first found. */
async function targetLeads(tx: Database, actor: InsightActor, target: InsightTarget) {
  const rows = await tx
    .select({ id: leads.id, ownerId: leads.ownerId })
    .from(leads)
    .where(targetCondition(actor, target))
    .orderBy(asc(leads.id))
    .limit(AI_ENRICHMENT_MAX_LEADS + 1);
  if (rows.length > AI_ENRICHMENT_MAX_LEADS) {
    throw new AppError(
      "invalid_input",
      `The model enriches at most ${AI_ENRICHMENT_MAX_LEADS.toLocaleString("en-US")} leads at a time: narrow the filter, or enrich in several goes.`,
    );
  }
  if ("selection" in target && "confirmedCount" in target.selection && rows.length !== target.selection.confirmedCount) {
    throw new AppError("conflict", `${rows.length} leads match this filter now, not ${target.selection.confirmedCount}: check again.`);
  }
  if (rows.length === 0) {
    throw new AppError(
      "not_found",
      "importId" in target ? "This import wrote no lead that is still live." : "None of these leads is live any more.",
    );
  }
  return { total: rows.length, permitted: rows.filter((r) => canEditLead(actor.role, actor.userId, r.ownerId)).map((r) => r.id) };
}

async function estimateFor(tx: Database, actor: InsightActor, input: z.output<typeof ZEstimateInsightRun>) {
  assertCanEnrichWithAi(actor);
  const { total, permitted } = await targetLeads(tx, actor, input.target);
  const settings = await getAiSettings(tx, { workspaceId: actor.workspaceId });
  if (!hasIdealCustomerProfile(settings)) throw new AppError("invalid_input", ICP_MISSING);
  const model = configuredModel(settings.model);
  const price = pricedForBudget(model, settings.prices);
  const profile = profileOf(settings);
  const loaded = [...(await loadInsightLeads(tx, actor.workspaceId, permitted)).values()].map((l) => l.lead);
  // The cache (private schema) and the month's spend (the ledger is for analysts and above) are read on the
  // service connection, scoped to the person's workspace. With homepages the inputs are known only once fetched.
  const keys = loaded.map((lead) => leadInsightCacheKey(model, profile, lead));
  const cache = input.fetchHomepage ? new Map() : await readInsightCache(serviceDb(), actor.workspaceId, [...new Set(keys)]);
  const toAsk = loaded.filter((_, i) => !cache.has(keys[i]!));
  const base = estimateLeadInsights(toAsk, profile, model, settings.prices);
  const homepageTokens = input.fetchHomepage ? toAsk.filter((l) => l.companyDomain).length * HOMEPAGE_MAX_TOKENS : 0;
  const promptTokens = base.promptTokens + homepageTokens;
  const cost = costUsd({ promptTokens, cachedTokens: 0, completionTokens: base.completionTokens }, price);
  const spentUsd = await spentThisMonthUsd(serviceDb(), { workspaceId: actor.workspaceId });
  const budgetUsd = settings.monthlyBudgetUsd;
  const remainingUsd = budgetUsd === null ? null : Math.max(0, budgetUsd - spentUsd);
  const estimate: InsightRunEstimate = {
    leads: total,
    notPermitted: total - permitted.length,
    cached: loaded.length - toAsk.length,
    toAsk: toAsk.length,
    model,
    promptTokens,
    completionTokens: base.completionTokens,
    costUsd: cost,
    budgetUsd,
    spentUsd,
    remainingUsd,
    exceedsBudget: remainingUsd !== null && cost > remainingUsd,
    fetchHomepage: input.fetchHomepage,
  };
  return { estimate, leadIds: permitted };
}

export async function estimateInsightRun(
  tx: Database,
  actor: InsightActor,
  input: z.output<typeof ZEstimateInsightRun>,
): Promise<InsightRunEstimate> {
  return (await estimateFor(tx, actor, input)).estimate;
}

export type InsightRunStarted = { runId: string; leads: number; estimatedCostUsd: number };

const usd = (value: number) => `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;

/** Records the run (on the service connection, after the person's checks as themselves); the caller sends the event after the commit. */
export async function startInsightRun(
  tx: Database,
  actor: InsightActor,
  input: z.output<typeof ZStartInsightRun>,
): Promise<InsightRunStarted> {
  const { estimate, leadIds } = await estimateFor(tx, actor, input);
  if (leadIds.length === 0) throw forbidden("You may not edit any of these leads: they belong to other sales reps.");
  // The leads or their inputs changed since the estimate: a cost clearly above what was agreed is asked again.
  if (estimate.costUsd > input.confirmedCostUsd * 1.05 + 0.0001) {
    throw new AppError(
      "conflict",
      `This enrichment is now estimated at ${usd(estimate.costUsd)}, more than the ${usd(input.confirmedCostUsd)} you saw: check the estimate again.`,
    );
  }
  if (estimate.toAsk > 0 && estimate.remainingUsd !== null && estimate.remainingUsd <= 0) {
    throw new AppError(
      "conflict",
      `This month's AI budget of ${usd(estimate.budgetUsd ?? 0)} is spent. An admin can raise it in Settings → AI.`,
    );
  }
  const [row] = await serviceDb()
    .insert(aiEnrichmentRuns)
    .values({
      workspaceId: actor.workspaceId,
      requestedBy: actor.userId,
      importId: "importId" in input.target ? input.target.importId : null,
      leadIds,
      fetchHomepage: input.fetchHomepage,
      estimatedCostUsd: estimate.costUsd,
    })
    .returning({ id: aiEnrichmentRuns.id });
  return { runId: row!.id, leads: leadIds.length, estimatedCostUsd: estimate.costUsd };
}

export type InsightRunRef = { workspaceId: string; runId: string; requestedBy: string };

/** After the commit: starts (or, after a resume, continues) the job; if it cannot be sent, the run says so instead of waiting forever. */
export async function sendInsightRunEvent(ref: InsightRunRef, kind: "start" | "resume" = "start"): Promise<void> {
  try {
    await sendEvent({
      name: "ai/lead-insights.requested",
      data: ref,
      id: kind === "start" ? `ai-enrichment-${ref.runId}` : `ai-enrichment-${ref.runId}-${Date.now()}`,
    });
  } catch (error) {
    console.error("[ai enrichment] job not started", error);
    await serviceDb()
      .update(aiEnrichmentRuns)
      .set({
        status: "failed",
        error: "The enrichment could not be started in the background.",
        finishedAt: sql`now()` as unknown as Date,
        updatedAt: sql`now()` as unknown as Date,
      })
      .where(and(eq(aiEnrichmentRuns.id, ref.runId), eq(aiEnrichmentRuns.workspaceId, ref.workspaceId)));
    throw new AppError("unavailable", "The enrichment could not be started in the background. Nothing was spent: try again in a moment.");
  }
}
