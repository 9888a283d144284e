"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import {
  cancelInsightRun,
  getInsightRunProgress,
  pauseInsightRun,
  resumeInsightRun,
  ZInsightRunRef,
} from "@/lib/ai/enrichment/runs/control-insight-run";
import {
  estimateInsightRun,
  sendInsightRunEvent,
  startInsightRun,
  ZEstimateInsightRun,
  ZStartInsightRun,
  type InsightRunStarted,
} from "@/lib/ai/enrichment/runs/start-insight-run";

/**
 * "Enrich with AI" on the leads table's selection or filter, and on an import's page
 * (lib/ai/enrichment/runs): the estimate is free; only the started run's job calls the model.
 */
const actorOf = (session: WorkspaceSession) => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

export const estimateAiEnrichment = defineAction({
  name: "estimateAiEnrichment",
  auth: "enrichment.run",
  schema: ZEstimateInsightRun,
  handler: ({ session, tx }, input) => estimateInsightRun(tx, actorOf(session), input),
});

export const startAiEnrichment = defineAction({
  name: "startAiEnrichment",
  workspaceLimit: "vendor-runs",
  auth: "enrichment.run",
  schema: ZStartInsightRun,
  handler: ({ session, tx }, input) => startInsightRun(tx, actorOf(session), input),
  afterCommit: async ({ session }: { session: WorkspaceSession }, started: InsightRunStarted) => {
    await sendInsightRunEvent({ workspaceId: session.current.workspaceId, runId: started.runId, requestedBy: session.userId });
    return started;
  },
});

export const getAiEnrichmentProgress = defineAction({
  name: "getAiEnrichmentProgress",
  auth: "enrichment.run",
  schema: ZInsightRunRef,
  handler: ({ session, tx }, { runId }) => getInsightRunProgress(tx, actorOf(session), runId),
});

export const pauseAiEnrichment = defineAction({
  name: "pauseAiEnrichment",
  auth: "enrichment.run",
  schema: ZInsightRunRef,
  handler: ({ session, tx }, { runId }) => pauseInsightRun(tx, actorOf(session), runId),
});

// Resuming spends the model's credits as starting does, so it counts against the same limit.
export const resumeAiEnrichment = defineAction({
  name: "resumeAiEnrichment",
  workspaceLimit: "vendor-runs",
  auth: "enrichment.run",
  schema: ZInsightRunRef,
  handler: async ({ session, tx }, { runId }) => ({ runId, ...(await resumeInsightRun(tx, actorOf(session), runId)) }),
  afterCommit: async ({ session }: { session: WorkspaceSession }, resumed: { runId: string; status: string }) => {
    await sendInsightRunEvent({ workspaceId: session.current.workspaceId, runId: resumed.runId, requestedBy: session.userId }, "resume");
    return resumed;
  },
});

export const cancelAiEnrichment = defineAction({
  name: "cancelAiEnrichment",
  auth: "enrichment.run",
  schema: ZInsightRunRef,
  handler: ({ session, tx }, { runId }) => cancelInsightRun(tx, actorOf(session), runId),
});
