import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { apolloEnrichedPeople, apolloImports, leadImportIssues, leadImportRows, leadImports, workspaceMembers } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { markImportFailed } from "@/lib/imports/run-import-batch";
import { FAIL_REASONS } from "@/lib/imports/types";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { APOLLO_BULK_MATCH_MAX, enrichApolloChunk } from "../bulk-enrichment";
import type { ApolloClientConfig } from "../client";
import { apolloClientForJob } from "../client-for-account";
import { apolloLimitWait, apolloWindowWait } from "../rate-limit";
import { storeApolloOrganizations } from "../raw-store";
import { APOLLO_IMPORT_HEADERS, apolloPersonRow } from "./person-row";

/**
 * One step of an Apollo import's job: the next ≤ 10 people of the selection, revealed with
 * People Enrichment by id unless this workspace has them already, written as the import's rows.
 *
 * What makes a retry or a replay spend nothing again: the people Apollo revealed are written
 * to apollo_enriched_people (unique per workspace and Apollo id) in the SAME transaction as
 * the import rows they become and the cursor (apollo_imports.enriched_rows); the step asks
 * Apollo only for the ids not there. A step that fails before that commit has written nothing
 * (its call may have been charged: Apollo cannot be asked "without charging"); one that fails
 * after it finds its chunk done. Runs one at a time per account (the function's concurrency).
 */
export type ApolloImportRef = { workspaceId: string; importId: string; accountId: string; requestedBy: string };

export type ApolloChunkOutcome =
  | { state: "enriched" | "done"; rows: number; total: number; calls: number; credits: number; waitMs: number }
  | { state: "wait"; waitMs: number; reason: string }
  | { state: "stopped"; reason: string };

export async function enrichNextApolloChunk(
  ref: ApolloImportRef,
  clientOptions: Omit<ApolloClientConfig, "apiKey" | "baseUrl"> = {},
): Promise<ApolloChunkOutcome> {
  const db = serviceDb();
  const [state] = await db
    .select({
      personIds: apolloImports.personIds,
      enrichedRows: apolloImports.enrichedRows,
      reenrich: apolloImports.reenrich,
      status: leadImports.status,
    })
    .from(apolloImports)
    .innerJoin(leadImports, and(eq(leadImports.id, apolloImports.importId), eq(leadImports.workspaceId, apolloImports.workspaceId)))
    .where(and(eq(apolloImports.importId, ref.importId), eq(apolloImports.workspaceId, ref.workspaceId)));
  if (!state) return { state: "stopped", reason: "The import was deleted." };
  if (state.status !== "queued" && state.status !== "running") return { state: "stopped", reason: `The import is ${state.status}.` };
  const total = state.personIds.length;
  const from = state.enrichedRows;
  if (from >= total) return { state: "done", rows: from, total, calls: 0, credits: 0, waitMs: 0 };

  const [member] = await db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, ref.workspaceId), eq(workspaceMembers.userId, ref.requestedBy)));
  if (!member || !can(member.role, "enrichment.run") || !can(member.role, "imports.run")) {
    const reason = "Stopped: the person who started this import may no longer enrich or import leads here. Nothing more was spent.";
    await markImportFailed(ref, reason);
    return { state: "stopped", reason };
  }

  const ids = state.personIds.slice(from, from + APOLLO_BULK_MATCH_MAX);
  const known = await db
    .select({ id: apolloEnrichedPeople.apolloPersonId, person: apolloEnrichedPeople.person, importId: apolloEnrichedPeople.importId })
    .from(apolloEnrichedPeople)
    .where(and(eq(apolloEnrichedPeople.workspaceId, ref.workspaceId), inArray(apolloEnrichedPeople.apolloPersonId, ids)));
  // Asked to reveal again: everyone except whom this very import revealed already (a replay).
  const reused = new Map(known.filter((k) => !state.reenrich || k.importId === ref.importId).map((k) => [k.id, k.person]));
  const toAsk = [...new Set(ids.filter((id) => !reused.has(id)))];

  let answer = { people: [] as Record<string, unknown>[], missingIds: [] as string[], creditsConsumed: 0 };
  let waitMs = 0;
  if (toAsk.length > 0) {
    const { client } = await apolloClientForJob(db, ref, clientOptions);
    try {
      answer = await enrichApolloChunk(client, toAsk);
    } catch (error) {
      // A window used up for longer than a call may wait (an hour, a day): nothing was revealed,
      // and the job sleeps through it durably instead of failing the import.
      if (error instanceof VendorError && error.kind === "rate_limited") {
        return { state: "wait", waitMs: apolloLimitWait(error.message, error.details.retryAfterMs), reason: error.message };
      }
      throw error;
    }
    waitMs = apolloWindowWait(client.rateLimit);
  }
  const revealed = new Map<string, Record<string, unknown> | null>(answer.people.map((p) => [String(p.id), p]));
  for (const id of answer.missingIds) revealed.set(id, null);

  const to = from + ids.length;
  await db.transaction(async (tx) => {
    if (revealed.size > 0) {
      await tx
        .insert(apolloEnrichedPeople)
        .values([...revealed].map(([id, person]) => ({ workspaceId: ref.workspaceId, apolloPersonId: id, person, importId: ref.importId })))
        .onConflictDoUpdate({
          target: [apolloEnrichedPeople.workspaceId, apolloEnrichedPeople.apolloPersonId],
          set: { person: sql`excluded.person`, importId: sql`excluded.import_id`, leadEnrichmentId: null, fetchedAt: sql`now()` },
        });
      await storeApolloOrganizations(tx, ref.workspaceId, answer.people);
    }
    const rows: (typeof leadImportRows.$inferInsert)[] = [];
    const issues: (typeof leadImportIssues.$inferInsert)[] = [];
    ids.forEach((id, i) => {
      const rowNumber = from + i + 1;
      const person = revealed.has(id) ? revealed.get(id) : reused.get(id);
      if (person) {
        rows.push({ importId: ref.importId, workspaceId: ref.workspaceId, rowNumber, fields: apolloPersonRow(person) });
        return;
      }
      // Nobody to import: the row keeps the id (for the issues file) and its reason, as a file's unreadable row does.
      rows.push({
        importId: ref.importId,
        workspaceId: ref.workspaceId,
        rowNumber,
        fields: APOLLO_IMPORT_HEADERS.map((_, c) => (c === 0 ? id : "")),
      });
      issues.push({
        importId: ref.importId,
        workspaceId: ref.workspaceId,
        rowNumber,
        outcome: "failed",
        reason: "not_found_in_apollo",
        detail: `${FAIL_REASONS.not_found_in_apollo} (${id}): nothing was revealed and Apollo charges no credit for it.`,
      });
    });
    await tx.insert(leadImportRows).values(rows).onConflictDoNothing();
    if (issues.length > 0) await tx.insert(leadImportIssues).values(issues).onConflictDoNothing();
    const moved = await tx
      .update(apolloImports)
      .set({
        enrichedRows: to,
        creditsConsumed: sql`${apolloImports.creditsConsumed} + ${answer.creditsConsumed}`,
        enrichCalls: sql`${apolloImports.enrichCalls} + ${toAsk.length > 0 ? 1 : 0}`,
        enrichedPeople: sql`${apolloImports.enrichedPeople} + ${answer.people.length}`,
        reusedPeople: sql`${apolloImports.reusedPeople} + ${reused.size}`,
      })
      .where(
        and(eq(apolloImports.importId, ref.importId), eq(apolloImports.workspaceId, ref.workspaceId), eq(apolloImports.enrichedRows, from)),
      )
      .returning({ importId: apolloImports.importId });
    // Another run moved the cursor meanwhile (concurrency should prevent it): keep its rows, not these.
    if (moved.length === 0) throw new Error(`The Apollo import ${ref.importId} moved on while this chunk was being revealed.`);
  });
  return {
    state: to >= total ? "done" : "enriched",
    rows: to,
    total,
    calls: toAsk.length > 0 ? 1 : 0,
    credits: answer.creditsConsumed,
    waitMs,
  };
}

/** Every person has a row: the CSV import job may now process them. */
export async function finishApolloEnrichment(ref: ApolloImportRef): Promise<void> {
  await serviceDb()
    .update(apolloImports)
    .set({ enrichmentFinishedAt: sql`coalesce(${apolloImports.enrichmentFinishedAt}, now())` })
    .where(and(eq(apolloImports.importId, ref.importId), eq(apolloImports.workspaceId, ref.workspaceId)));
}
