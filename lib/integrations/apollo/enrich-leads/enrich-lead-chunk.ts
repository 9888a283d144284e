import "server-only";
import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import { serviceDb, type Database } from "@/db";
import { pgArray } from "@/db/pg-array";
import { apolloEnrichedPeople, apolloLeadEnrichments, companies, leadApolloEnrichments, leads, workspaceMembers } from "@/db/schema";
import type { ApolloEnrichMode } from "@/db/schema/apollo";
import { can } from "@/lib/auth/permissions";
import { recordActivities } from "@/lib/leads/activities";
import { canEditLead } from "@/lib/leads/lead-permissions";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { APOLLO_BULK_MATCH_MAX, matchApolloPeople } from "../bulk-enrichment";
import type { ApolloClientConfig } from "../client";
import { apolloClientForJob } from "../client-for-account";
import { apolloLimitWait, apolloWindowWait } from "../rate-limit";
import { storeApolloOrganizations } from "../raw-store";
import {
  leadChanges,
  matchDetailOf,
  personValues,
  type ApolloCompany,
  type EnrichableLead,
  type EnrichedField,
  type LeadChanges,
} from "./person-fields";

/**
 * One step of an enrichment of existing leads: the next ≤ 10 leads, asked of Apollo in one
 * bulk_match call unless this workspace has had their person revealed already, then written.
 *
 * What makes a retry or a replay spend nothing again is the same as for imports: the people
 * revealed (apollo_enriched_people), the leads' changes, their panel rows and the cursor commit
 * in ONE transaction; a step that failed before it committed wrote nothing, one that failed
 * after finds its chunk done. A lead's Apollo id is kept once revealed, so a later enrichment of
 * the same lead reuses the revealed person without a credit (unless asked to reveal again).
 */
export type LeadEnrichmentRef = { workspaceId: string; enrichmentId: string; accountId: string; requestedBy: string };

export type LeadChunkOutcome =
  | { state: "enriched" | "done"; processed: number; total: number; calls: number; credits: number; waitMs: number }
  | { state: "wait"; waitMs: number; reason: string }
  | { state: "stopped"; reason: string };

type Run = typeof apolloLeadEnrichments.$inferSelect;
type Result = {
  leadId: string;
  apolloPersonId: string | null;
  outcome: "updated" | "unchanged" | "not_found" | "skipped";
  reason?: string;
  fields: Record<string, string>;
  changed: EnrichedField[];
};

export async function enrichNextLeadChunk(
  ref: LeadEnrichmentRef,
  clientOptions: Omit<ApolloClientConfig, "apiKey" | "baseUrl" | "onOutcome"> = {},
): Promise<LeadChunkOutcome> {
  const db = serviceDb();
  const [run] = await db
    .select()
    .from(apolloLeadEnrichments)
    .where(and(eq(apolloLeadEnrichments.id, ref.enrichmentId), eq(apolloLeadEnrichments.workspaceId, ref.workspaceId)));
  if (!run) return { state: "stopped", reason: "The enrichment was deleted." };
  if (run.status === "completed" || run.status === "failed") return { state: "stopped", reason: `The enrichment is ${run.status}.` };
  const total = run.leadIds.length;
  const from = run.cursor;
  if (from >= total) return { state: "done", processed: from, total, calls: 0, credits: 0, waitMs: 0 };

  const [member] = await db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, ref.workspaceId), eq(workspaceMembers.userId, run.requestedBy)));
  if (!member || !can(member.role, "enrichment.run") || !can(member.role, "leads.edit_own")) {
    const reason = "Stopped: the person who started this enrichment may no longer enrich leads here. Nothing more was spent.";
    await failLeadEnrichment(ref, reason);
    return { state: "stopped", reason };
  }

  const ids = run.leadIds.slice(from, from + APOLLO_BULK_MATCH_MAX);
  const rows = await loadLeads(db, ref.workspaceId, ids);
  const results = new Map<string, Result>();
  const toUse = new Map<string, { lead: EnrichableLead; person?: Record<string, unknown> }>();
  for (const id of ids) {
    const lead = rows.get(id);
    const skip = (reason: string) =>
      results.set(id, { leadId: id, apolloPersonId: null, outcome: "skipped", reason, fields: {}, changed: [] });
    if (!lead || lead.deleted) skip("deleted");
    else if (!canEditLead(member.role, run.requestedBy, lead.ownerId)) skip("not_permitted");
    else if (!matchDetailOf(lead)) skip("no_identifiers");
    else toUse.set(id, { lead });
  }

  // People this workspace has had revealed (by the lead's Apollo id, or its email), unless asked to reveal again.
  const knownIds = [...toUse.values()].map((u) => u.lead.apolloPersonId).filter((v): v is string => !!v);
  const knownEmails = [...toUse.values()].map((u) => u.lead.email?.trim().toLowerCase()).filter((v): v is string => !!v);
  if (knownIds.length || knownEmails.length) {
    const known = await db
      .select({ id: apolloEnrichedPeople.apolloPersonId, person: apolloEnrichedPeople.person, by: apolloEnrichedPeople.leadEnrichmentId })
      .from(apolloEnrichedPeople)
      .where(
        and(
          eq(apolloEnrichedPeople.workspaceId, ref.workspaceId),
          sql`${apolloEnrichedPeople.person} is not null`,
          or(
            knownIds.length ? inArray(apolloEnrichedPeople.apolloPersonId, knownIds) : sql`false`,
            knownEmails.length ? sql`lower(${apolloEnrichedPeople.person}->>'email') = any(${pgArray(knownEmails)}::text[])` : sql`false`,
          ),
        ),
      );
    for (const use of toUse.values()) {
      const hit = known.find(
        (k) =>
          (!run.reenrich || k.by === run.id) &&
          (k.id === use.lead.apolloPersonId ||
            (!!use.lead.email && String(k.person?.email ?? "").toLowerCase() === use.lead.email.trim().toLowerCase())),
      );
      if (hit?.person) use.person = hit.person;
    }
  }
  const reused = [...toUse.values()].filter((u) => u.person).length;
  const asking = [...toUse.entries()].filter(([, u]) => !u.person);

  let credits = 0;
  let revealed: Record<string, unknown>[] = [];
  let waitMs = 0;
  if (asking.length > 0) {
    const { client } = await apolloClientForJob(db, ref, clientOptions);
    try {
      const answer = await matchApolloPeople(
        client,
        asking.map(([, u]) => matchDetailOf(u.lead)! as Record<string, string>),
      );
      credits = answer.creditsConsumed;
      answer.matches.forEach((person, i) => {
        if (!person) return;
        asking[i]![1].person = person;
        revealed.push(person);
      });
    } catch (error) {
      if (error instanceof VendorError && error.kind === "rate_limited") {
        return { state: "wait", waitMs: apolloLimitWait(error.message, error.details.retryAfterMs), reason: error.message };
      }
      throw error;
    }
    waitMs = apolloWindowWait(client.rateLimit);
  }
  revealed = [...new Map(revealed.map((p) => [String(p.id), p])).values()];

  const to = from + ids.length;
  await db.transaction(async (tx) => {
    if (revealed.length > 0) {
      await tx
        .insert(apolloEnrichedPeople)
        .values(
          revealed.map((person) => ({ workspaceId: ref.workspaceId, apolloPersonId: String(person.id), person, leadEnrichmentId: run.id })),
        )
        .onConflictDoUpdate({
          target: [apolloEnrichedPeople.workspaceId, apolloEnrichedPeople.apolloPersonId],
          set: { person: sql`excluded.person`, leadEnrichmentId: sql`excluded.lead_enrichment_id`, importId: null, fetchedAt: sql`now()` },
        });
      await storeApolloOrganizations(tx, ref.workspaceId, revealed);
    }
    for (const [id, use] of toUse) {
      if (!use.person) {
        results.set(id, { leadId: id, apolloPersonId: null, outcome: "not_found", fields: {}, changed: [] });
        continue;
      }
      results.set(id, await applyPerson(tx, ref.workspaceId, use.lead, use.person, run));
    }
    const ordered = ids.map((id) => results.get(id)!);
    await tx
      .insert(leadApolloEnrichments)
      .values(
        ordered.map((r) => ({
          enrichmentId: run.id,
          workspaceId: ref.workspaceId,
          mode: run.mode,
          sandbox: run.sandbox,
          ...r,
          reason: r.reason ?? null,
        })),
      )
      .onConflictDoNothing();
    const updated = ordered.filter((r) => r.outcome === "updated");
    if (updated.length > 0) {
      await recordActivities(
        tx,
        updated.map((r) => ({
          workspaceId: ref.workspaceId,
          leadId: r.leadId,
          type: "enriched" as const,
          actorId: run.requestedBy,
          payload: { provider: "Apollo", fields: r.changed },
        })),
      );
    }
    const count = (o: Result["outcome"]) => ordered.filter((r) => r.outcome === o).length;
    const moved = await tx
      .update(apolloLeadEnrichments)
      .set({
        // Failed meanwhile (its job run cancelled on the Jobs page: record-cancelled-run) stays failed; the chunk's work still counts.
        status: sql`case when ${apolloLeadEnrichments.status} = 'failed' then ${apolloLeadEnrichments.status} else 'running' end`,
        cursor: to,
        creditsConsumed: sql`${apolloLeadEnrichments.creditsConsumed} + ${credits}`,
        enrichCalls: sql`${apolloLeadEnrichments.enrichCalls} + ${asking.length > 0 ? 1 : 0}`,
        revealedPeople: sql`${apolloLeadEnrichments.revealedPeople} + ${revealed.length}`,
        reusedPeople: sql`${apolloLeadEnrichments.reusedPeople} + ${reused}`,
        updatedLeads: sql`${apolloLeadEnrichments.updatedLeads} + ${count("updated")}`,
        unchangedLeads: sql`${apolloLeadEnrichments.unchangedLeads} + ${count("unchanged")}`,
        notFound: sql`${apolloLeadEnrichments.notFound} + ${count("not_found")}`,
        skippedLeads: sql`${apolloLeadEnrichments.skippedLeads} + ${count("skipped")}`,
      })
      .where(
        and(
          eq(apolloLeadEnrichments.id, run.id),
          eq(apolloLeadEnrichments.workspaceId, ref.workspaceId),
          eq(apolloLeadEnrichments.cursor, from),
        ),
      )
      .returning({ id: apolloLeadEnrichments.id });
    if (moved.length === 0) throw new Error(`The Apollo enrichment ${run.id} moved on while this chunk was being enriched.`);
  });
  return { state: to >= total ? "done" : "enriched", processed: to, total, calls: asking.length > 0 ? 1 : 0, credits, waitMs };
}

async function loadLeads(db: Database, workspaceId: string, ids: string[]) {
  const rows = await db
    .select({
      id: leads.id,
      ownerId: leads.ownerId,
      deleted: sql<boolean>`${leads.deletedAt} is not null`,
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
    .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.id, ids)));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Writes what Apollo's person changes on one lead (and its company), as the run's mode says. A
 * run against the sandbox marks the lead as holding sample values in the same statement
 * (unless the whole lead is sample data already).
 */
async function applyPerson(
  tx: Database,
  workspaceId: string,
  lead: EnrichableLead,
  raw: Record<string, unknown>,
  { mode, sandbox }: Pick<Run, "mode" | "sandbox">,
): Promise<Result> {
  const values = personValues(raw);
  const { changes, changed } = leadChanges(lead, values, mode);
  // Identities another lead of the workspace holds stay where they are.
  const taken = async (condition: ReturnType<typeof sql>) =>
    (
      await tx
        .select({ id: leads.id })
        .from(leads)
        .where(and(eq(leads.workspaceId, workspaceId), ne(leads.id, lead.id), condition))
        .limit(1)
    ).length > 0;
  const drop = (column: keyof LeadChanges, field?: EnrichedField) => {
    delete changes[column];
    if (field) changed.splice(changed.indexOf(field), 1);
    if (column === "email" && changes.emailStatus && lead.email === null) {
      delete changes.emailStatus;
      changed.splice(changed.indexOf("email_status"), 1);
    }
  };
  if (changes.email && (await taken(sql`lower(${leads.email}) = lower(${changes.email})`))) drop("email", "email");
  if (changes.linkedinUrl && (await taken(sql`${leads.linkedinUrl} = ${changes.linkedinUrl}`))) drop("linkedinUrl", "linkedin_url");
  if (changes.apolloPersonId && (await taken(sql`${leads.apolloPersonId} = ${changes.apolloPersonId}`))) drop("apolloPersonId");

  let companyId: string | undefined;
  if (values.company && (lead.companyId === null || mode === "overwrite")) {
    const id = await companyFor(tx, workspaceId, values.company, { mode, sandbox });
    if (id !== lead.companyId) {
      companyId = id;
      changed.push("company");
    }
  } else if (values.company && lead.companyId !== null && lead.companyDomain === values.company.domain) {
    await companyFor(tx, workspaceId, values.company, { mode, sandbox });
  }
  const set = { ...changes, ...(companyId ? { companyId } : {}) };
  if (Object.keys(set).length > 0) {
    await tx
      .update(leads)
      .set({
        ...set,
        lastActivityAt: sql`greatest(${leads.lastActivityAt}, now())` as unknown as Date,
        ...(sandbox ? { sampleData: sql`coalesce(${leads.sampleData}, 'values')` as unknown as "values" } : {}),
      })
      .where(and(eq(leads.id, lead.id), eq(leads.workspaceId, workspaceId)));
  }
  return {
    leadId: lead.id,
    apolloPersonId: values.apolloPersonId,
    outcome: changed.length > 0 ? "updated" : "unchanged",
    fields: values.fields as Record<string, string>,
    changed,
  };
}

const COMPANY_COLUMNS = ["website", "linkedinUrl", "industry", "employeeCount", "city", "country"] as const;

/**
 * The workspace's company for Apollo's organization, by domain: created when missing (sample
 * data when the run is against the sandbox), its fields filled (or overwritten).
 */
async function companyFor(
  tx: Database,
  workspaceId: string,
  org: ApolloCompany,
  { mode, sandbox }: Pick<Run, "mode" | "sandbox">,
): Promise<string> {
  const orgIdFree =
    org.apolloOrganizationId === null
      ? false
      : (
          await tx
            .select({ id: companies.id })
            .from(companies)
            .where(
              and(
                eq(companies.workspaceId, workspaceId),
                eq(companies.apolloOrganizationId, org.apolloOrganizationId),
                sql`${companies.domain} is distinct from ${org.domain}`,
              ),
            )
            .limit(1)
        ).length === 0;
  await tx
    .insert(companies)
    .values({
      workspaceId,
      name: org.name ?? org.domain,
      domain: org.domain,
      website: org.website,
      linkedinUrl: org.linkedinUrl,
      industry: org.industry,
      employeeCount: org.employeeCount,
      city: org.city,
      country: org.country,
      apolloOrganizationId: orgIdFree ? org.apolloOrganizationId : null,
      sampleData: sandbox,
    })
    .onConflictDoNothing();
  const [company] = await tx
    .select()
    .from(companies)
    .where(and(eq(companies.workspaceId, workspaceId), eq(companies.domain, org.domain)));
  if (!company) throw new Error(`The company ${org.domain} could not be found or created.`);
  const set: Partial<typeof companies.$inferInsert> = {};
  for (const column of COMPANY_COLUMNS) {
    const value = org[column];
    const current = company[column];
    if (value === null || value === undefined) continue;
    if (mode === "overwrite" ? current !== value : current === null || current === "") (set as Record<string, unknown>)[column] = value;
  }
  if (org.name && (mode === "overwrite" ? company.name !== org.name : company.name === company.domain)) set.name = org.name;
  if (orgIdFree && company.apolloOrganizationId === null) set.apolloOrganizationId = org.apolloOrganizationId;
  if (Object.keys(set).length > 0) {
    await tx
      .update(companies)
      .set(set)
      .where(and(eq(companies.id, company.id), eq(companies.workspaceId, workspaceId)));
  }
  return company.id;
}

export async function finishLeadEnrichment(ref: LeadEnrichmentRef): Promise<void> {
  await serviceDb()
    .update(apolloLeadEnrichments)
    .set({ status: "completed", finishedAt: sql`coalesce(${apolloLeadEnrichments.finishedAt}, now())` as unknown as Date })
    .where(
      and(
        eq(apolloLeadEnrichments.id, ref.enrichmentId),
        eq(apolloLeadEnrichments.workspaceId, ref.workspaceId),
        ne(apolloLeadEnrichments.status, "failed"),
      ),
    );
}

export async function failLeadEnrichment(ref: Pick<LeadEnrichmentRef, "workspaceId" | "enrichmentId">, reason: string): Promise<void> {
  await serviceDb()
    .update(apolloLeadEnrichments)
    .set({ status: "failed", error: reason.slice(0, 1000), finishedAt: sql`now()` as unknown as Date })
    .where(
      and(
        eq(apolloLeadEnrichments.id, ref.enrichmentId),
        eq(apolloLeadEnrichments.workspaceId, ref.workspaceId),
        ne(apolloLeadEnrichments.status, "completed"),
      ),
    );
}

export type { Run as ApolloLeadEnrichmentRun };
