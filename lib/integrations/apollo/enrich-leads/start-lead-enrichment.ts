import "server-only";
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb, type Database } from "@/db";
import { apolloEnrichedPeople, apolloLeadEnrichments, companies, leads } from "@/db/schema";
import { APOLLO_ENRICH_MODES } from "@/db/schema/apollo";
import { can } from "@/lib/auth/permissions";
import { AppError, forbidden } from "@/lib/errors";
import type { IntegrationActor } from "@/lib/integrations/accounts/accounts";
import { sendEvent } from "@/lib/jobs/send-event";
import { ZBulkSelection } from "@/lib/leads/bulk/schemas";
import { selectionCondition, type StoredSelection } from "@/lib/leads/bulk/selection-sql";
import { canEditLead } from "@/lib/leads/lead-permissions";
import { apolloClientForWorkspace } from "../client-for-account";
import { APOLLO_CREDITS_PER_PERSON_MAX } from "../import/start-apollo-import";
import { matchDetailOf, type EnrichableLead } from "./person-fields";

/**
 * Enriching existing leads with Apollo (a selection of the leads table, or its current filter):
 * first the estimate, shown before anything is spent (the leads, those Apollo revealed before
 * and reused without a credit, those that cannot be matched, the most credits); then, once
 * confirmed, a run (apollo_lead_enrichments) whose job asks Apollo in chunks of 10.
 */
export const APOLLO_ENRICH_MAX_LEADS = 1_000;

export const ZEstimateLeadEnrichment = z.object({ selection: ZBulkSelection, reenrich: z.boolean().default(false) });
export const ZStartLeadEnrichment = ZEstimateLeadEnrichment.extend({
  mode: z.enum(APOLLO_ENRICH_MODES, { message: "Choose whether Apollo fills empty fields only or overwrites them." }).default("fill_empty"),
  /** The most credits the person agreed to: a start that would cost more is refused. */
  confirmedMaxCredits: z.number().int().min(0),
});

export type LeadEnrichmentEstimate = {
  leads: number;
  /** Leads this person may not edit (another rep's): left alone. */
  notPermitted: number;
  /** No email, LinkedIn URL or name + company domain: Apollo cannot be asked about them. */
  unmatchable: number;
  /** Apollo revealed them for this workspace before: reused without a credit. */
  alreadyRevealed: number;
  toAsk: number;
  maxCredits: number;
  sandbox: boolean;
};

export function assertCanEnrichLeads(actor: IntegrationActor): void {
  if (!can(actor.role, "enrichment.run") || !can(actor.role, "leads.edit_own")) {
    throw forbidden("Your role can read leads but not enrich them. Ask a sales rep, a manager or an admin.");
  }
}

const toStored = (selection: z.output<typeof ZBulkSelection>): StoredSelection =>
  "ids" in selection ? { kind: "ids", ids: selection.ids } : { kind: "filter", query: selection.filter };

/** The live leads of the selection, as the person sees them (RLS), with what matching needs. */
export async function selectedLeads(tx: Database, actor: IntegrationActor, selection: z.output<typeof ZBulkSelection>) {
  const rows = await tx
    .select({
      id: leads.id,
      ownerId: leads.ownerId,
      firstName: leads.firstName,
      lastName: leads.lastName,
      email: leads.email,
      emailStatus: leads.emailStatus,
      title: leads.title,
      seniority: leads.seniority,
      department: leads.department,
      linkedinUrl: leads.linkedinUrl,
      city: leads.city,
      country: leads.country,
      apolloPersonId: leads.apolloPersonId,
      companyId: leads.companyId,
      companyName: leads.companyName,
      companyDomain: companies.domain,
    })
    .from(leads)
    .leftJoin(companies, and(eq(companies.id, leads.companyId), eq(companies.workspaceId, leads.workspaceId)))
    .where(selectionCondition(toStored(selection), { workspaceId: actor.workspaceId, userId: actor.userId, restoring: false }))
    .orderBy(asc(leads.id))
    .limit(APOLLO_ENRICH_MAX_LEADS + 1);
  if (rows.length > APOLLO_ENRICH_MAX_LEADS) {
    throw new AppError(
      "invalid_input",
      `Apollo enriches at most ${APOLLO_ENRICH_MAX_LEADS.toLocaleString("en-US")} leads at a time: narrow the filter, or enrich in several goes.`,
    );
  }
  if ("confirmedCount" in selection && rows.length !== selection.confirmedCount) {
    throw new AppError(
      "conflict",
      `${rows.length} leads match this filter now, not ${selection.confirmedCount}: check the estimate again.`,
    );
  }
  return rows satisfies (EnrichableLead & { ownerId: string | null })[];
}

async function estimateFor(tx: Database, actor: IntegrationActor, input: z.output<typeof ZEstimateLeadEnrichment>, sandbox: boolean) {
  const rows = await selectedLeads(tx, actor, input.selection);
  if (rows.length === 0) throw new AppError("not_found", "None of these leads is live in this workspace any more.");
  const permitted = rows.filter((r) => canEditLead(actor.role, actor.userId, r.ownerId));
  const matchable = permitted.filter((r) => matchDetailOf(r) !== null);
  const knownIds = matchable.map((r) => r.apolloPersonId).filter((id): id is string => id !== null);
  const known = knownIds.length
    ? await tx
        .select({ id: apolloEnrichedPeople.apolloPersonId })
        .from(apolloEnrichedPeople)
        .where(
          and(
            eq(apolloEnrichedPeople.workspaceId, actor.workspaceId),
            inArray(apolloEnrichedPeople.apolloPersonId, knownIds),
            isNotNull(apolloEnrichedPeople.person),
          ),
        )
    : [];
  const alreadyRevealed = input.reenrich ? 0 : new Set(known.map((k) => k.id)).size;
  const toAsk = matchable.length - alreadyRevealed;
  const estimate: LeadEnrichmentEstimate = {
    leads: rows.length,
    notPermitted: rows.length - permitted.length,
    unmatchable: permitted.length - matchable.length,
    alreadyRevealed,
    toAsk,
    maxCredits: toAsk * APOLLO_CREDITS_PER_PERSON_MAX,
    sandbox,
  };
  return { estimate, leadIds: permitted.map((r) => r.id) };
}

export async function estimateLeadEnrichment(
  tx: Database,
  actor: IntegrationActor,
  input: z.output<typeof ZEstimateLeadEnrichment>,
): Promise<LeadEnrichmentEstimate> {
  assertCanEnrichLeads(actor);
  const { sandbox } = await apolloClientForWorkspace(tx, actor);
  return (await estimateFor(tx, actor, input, sandbox)).estimate;
}

export type LeadEnrichmentStarted = { enrichmentId: string; accountId: string; leads: number; maxCredits: number };

/** Records the run (on the service connection, after the person's checks as themselves). */
export async function startLeadEnrichment(
  tx: Database,
  actor: IntegrationActor,
  input: z.output<typeof ZStartLeadEnrichment>,
): Promise<LeadEnrichmentStarted> {
  assertCanEnrichLeads(actor);
  const { accountId, sandbox } = await apolloClientForWorkspace(tx, actor);
  const { estimate, leadIds } = await estimateFor(tx, actor, input, sandbox);
  if (estimate.maxCredits > input.confirmedMaxCredits) {
    throw new AppError(
      "conflict",
      `This enrichment can now cost up to ${estimate.maxCredits} credits, more than the ${input.confirmedMaxCredits} you confirmed: check the estimate again.`,
    );
  }
  if (leadIds.length === 0) throw forbidden("You may not edit any of these leads: they belong to other sales reps.");
  const [row] = await serviceDb()
    .insert(apolloLeadEnrichments)
    .values({
      workspaceId: actor.workspaceId,
      accountId,
      requestedBy: actor.userId,
      leadIds,
      mode: input.mode,
      reenrich: input.reenrich,
      sandbox,
    })
    .returning({ id: apolloLeadEnrichments.id });
  return { enrichmentId: row!.id, accountId, leads: leadIds.length, maxCredits: estimate.maxCredits };
}

/** After the commit: starts the job; if it cannot be sent, the run says so instead of waiting forever. */
export async function sendLeadEnrichmentEvent(ref: { workspaceId: string; enrichmentId: string; accountId: string; requestedBy: string }) {
  try {
    await sendEvent({ name: "integrations/apollo-lead-enrichment.requested", data: ref, id: `apollo-lead-enrichment-${ref.enrichmentId}` });
  } catch (error) {
    console.error("[apollo enrichment] job not started", error);
    await serviceDb()
      .update(apolloLeadEnrichments)
      .set({ status: "failed", error: "The enrichment could not be started in the background.", finishedAt: sql`now()` as unknown as Date })
      .where(and(eq(apolloLeadEnrichments.id, ref.enrichmentId), eq(apolloLeadEnrichments.workspaceId, ref.workspaceId)));
    throw new AppError("unavailable", "The enrichment could not be started in the background. Nothing was spent: try again in a moment.");
  }
}
