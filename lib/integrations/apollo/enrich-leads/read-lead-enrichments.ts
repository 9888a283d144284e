import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { apolloLeadEnrichments, leadApolloEnrichments } from "@/db/schema";
import type { ApolloEnrichMode } from "@/db/schema/apollo";
import { notFound } from "@/lib/errors";
import type { EnrichedField } from "./person-fields";

/** What the lead page's enrichment panel shows: each Apollo enrichment of the lead, newest first. */
export type LeadApolloEnrichmentView = {
  enrichedAt: Date;
  mode: ApolloEnrichMode;
  outcome: "updated" | "unchanged" | "not_found" | "skipped";
  reason: string | null;
  apolloPersonId: string | null;
  fields: Partial<Record<EnrichedField, string>>;
  changed: EnrichedField[];
  /** Apollo's sandbox answered (recorded when the run was created): these values are sample data. */
  sandbox: boolean;
};

export async function listLeadApolloEnrichments(
  tx: Database,
  { workspaceId, leadId }: { workspaceId: string; leadId: string },
): Promise<LeadApolloEnrichmentView[]> {
  const rows = await tx
    .select({
      enrichedAt: leadApolloEnrichments.enrichedAt,
      mode: leadApolloEnrichments.mode,
      outcome: leadApolloEnrichments.outcome,
      reason: leadApolloEnrichments.reason,
      apolloPersonId: leadApolloEnrichments.apolloPersonId,
      fields: leadApolloEnrichments.fields,
      changed: leadApolloEnrichments.changed,
      sandbox: leadApolloEnrichments.sandbox,
    })
    .from(leadApolloEnrichments)
    .where(and(eq(leadApolloEnrichments.workspaceId, workspaceId), eq(leadApolloEnrichments.leadId, leadId)))
    .orderBy(desc(leadApolloEnrichments.enrichedAt))
    .limit(5);
  return rows.map((r) => ({ ...r, fields: r.fields as LeadApolloEnrichmentView["fields"], changed: r.changed as EnrichedField[] }));
}

/** How far an enrichment got: what the table's bar follows. */
export type LeadEnrichmentProgress = {
  enrichmentId: string;
  status: "queued" | "running" | "completed" | "failed";
  total: number;
  processed: number;
  updated: number;
  unchanged: number;
  notFound: number;
  skipped: number;
  revealed: number;
  reused: number;
  credits: number;
  error: string | null;
};

export async function getLeadEnrichmentProgress(
  tx: Database,
  { workspaceId, enrichmentId }: { workspaceId: string; enrichmentId: string },
): Promise<LeadEnrichmentProgress> {
  const [run] = await tx
    .select()
    .from(apolloLeadEnrichments)
    .where(and(eq(apolloLeadEnrichments.id, enrichmentId), eq(apolloLeadEnrichments.workspaceId, workspaceId)));
  if (!run) throw notFound("That enrichment");
  return {
    enrichmentId: run.id,
    status: run.status,
    total: run.leadIds.length,
    processed: run.cursor,
    updated: run.updatedLeads,
    unchanged: run.unchangedLeads,
    notFound: run.notFound,
    skipped: run.skippedLeads,
    revealed: run.revealedPeople,
    reused: run.reusedPeople,
    credits: run.creditsConsumed,
    error: run.error,
  };
}
