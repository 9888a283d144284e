"use server";
import { z } from "zod";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import { getLeadEnrichmentProgress } from "@/lib/integrations/apollo/enrich-leads/read-lead-enrichments";
import {
  estimateLeadEnrichment,
  sendLeadEnrichmentEvent,
  startLeadEnrichment,
  ZEstimateLeadEnrichment,
  ZStartLeadEnrichment,
  type LeadEnrichmentStarted,
} from "@/lib/integrations/apollo/enrich-leads/start-lead-enrichment";

/**
 * "Enrich with Apollo" on the leads table's selection (lib/integrations/apollo/enrich-leads/):
 * the estimate is free; only the started run's job spends credits.
 */
const actorOf = (session: WorkspaceSession) => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

export const estimateApolloEnrichment = defineAction({
  name: "estimateApolloEnrichment",
  auth: "enrichment.run",
  schema: ZEstimateLeadEnrichment,
  handler: ({ session, tx }, input) => estimateLeadEnrichment(tx, actorOf(session), input),
});

export const startApolloEnrichment = defineAction({
  name: "startApolloEnrichment",
  workspaceLimit: "vendor-runs",
  auth: "enrichment.run",
  schema: ZStartLeadEnrichment,
  handler: ({ session, tx }, input) => startLeadEnrichment(tx, actorOf(session), input),
  afterCommit: async ({ session }: { session: WorkspaceSession }, started: LeadEnrichmentStarted) => {
    await sendLeadEnrichmentEvent({
      workspaceId: session.current.workspaceId,
      enrichmentId: started.enrichmentId,
      accountId: started.accountId,
      requestedBy: session.userId,
    });
    return started;
  },
});

export const getApolloEnrichmentProgress = defineAction({
  name: "getApolloEnrichmentProgress",
  auth: "enrichment.run",
  schema: z.object({ enrichmentId: z.uuid() }),
  handler: ({ session, tx }, { enrichmentId }) => getLeadEnrichmentProgress(tx, { workspaceId: session.current.workspaceId, enrichmentId }),
});
