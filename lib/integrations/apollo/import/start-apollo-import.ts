import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb, type Database } from "@/db";
import { apolloEnrichedPeople, apolloImports, leadImports } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { IntegrationActor } from "@/lib/integrations/accounts/accounts";
import { assertOwners } from "@/lib/imports/control-import";
import { ZImportRules } from "@/lib/imports/types";
import { sendEvent } from "@/lib/jobs/send-event";
import { apolloClientForWorkspace } from "../client-for-account";
import { collectApolloPeople, ZApolloPeopleFilters } from "../people-search";
import { APOLLO_IMPORT_HEADERS, APOLLO_IMPORT_MAPPING, APOLLO_IMPORT_PRESET } from "./person-row";
import { apolloRefusal, assertCanImportFromApollo } from "./search-for-workspace";

/**
 * Importing people found with Apollo's search: first the estimate (who will be revealed and
 * the most it can cost), shown before anything is spent; then, once confirmed, an import
 * (lead_imports, preset `apollo_api`) whose job reveals them and lands them through the CSV
 * import machinery. Reveals cost credits: one per person Apollo finds at most (emails only).
 */
export const APOLLO_IMPORT_MAX_PEOPLE = 1_000;
/** The most credits revealing one person can cost here: email only, no phone reveal asked. */
export const APOLLO_CREDITS_PER_PERSON_MAX = 1;

const TOO_MANY = `An import from Apollo takes at most ${APOLLO_IMPORT_MAX_PEOPLE.toLocaleString("en-US")} people: narrow the search, or import in several goes.`;

const ZApolloId = z.string().trim().min(1).max(100);

export const ZApolloSelection = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("people"),
    ids: z.array(ZApolloId).min(1, "Select at least one person.").max(APOLLO_IMPORT_MAX_PEOPLE, TOO_MANY),
  }),
  z.object({
    kind: z.literal("first"),
    filters: ZApolloPeopleFilters,
    count: z.coerce.number().int().min(1, "Import at least one person.").max(APOLLO_IMPORT_MAX_PEOPLE, TOO_MANY),
  }),
]);

export const ZEstimateApolloImport = z.object({ selection: ZApolloSelection, reenrich: z.boolean().default(false) });

export type ApolloImportEstimate = {
  /** The people the import will hold, in order (what "start" is then asked for). */
  personIds: string[];
  /** Revealed before by this workspace: reused without a credit (unless asked to reveal again). */
  alreadyEnriched: number;
  /** People Apollo will be asked to reveal. */
  toEnrich: number;
  /** The most the import can cost: Apollo charges only the people it finds. */
  maxCredits: number;
  sandbox: boolean;
};

async function estimateFor(tx: Database, actor: IntegrationActor, personIds: string[], reenrich: boolean, sandbox: boolean) {
  const ids = [...new Set(personIds)];
  const known = ids.length
    ? await tx
        .select({ id: apolloEnrichedPeople.apolloPersonId })
        .from(apolloEnrichedPeople)
        .where(and(eq(apolloEnrichedPeople.workspaceId, actor.workspaceId), inArray(apolloEnrichedPeople.apolloPersonId, ids)))
    : [];
  const alreadyEnriched = known.length;
  const toEnrich = reenrich ? ids.length : ids.length - alreadyEnriched;
  return { personIds: ids, alreadyEnriched, toEnrich, maxCredits: toEnrich * APOLLO_CREDITS_PER_PERSON_MAX, sandbox };
}

export async function estimateApolloImport(
  tx: Database,
  actor: IntegrationActor,
  input: z.output<typeof ZEstimateApolloImport>,
): Promise<ApolloImportEstimate> {
  assertCanImportFromApollo(actor);
  const { client, sandbox } = await apolloClientForWorkspace(tx, actor);
  let ids: string[];
  if (input.selection.kind === "people") ids = input.selection.ids;
  else {
    // The search is free: the first N are found now, so the estimate and the import name the same people.
    const found = await collectApolloPeople(client, input.selection.filters, { limit: input.selection.count }).catch(apolloRefusal);
    ids = found.people.map((p) => p.id);
    if (ids.length === 0) throw new AppError("not_found", "Apollo found nobody for these filters: widen them and search again.");
  }
  return estimateFor(tx, actor, ids, input.reenrich, sandbox);
}

export const ZStartApolloImport = z.object({
  personIds: z.array(ZApolloId).min(1, "Select at least one person.").max(APOLLO_IMPORT_MAX_PEOPLE, TOO_MANY),
  rules: ZImportRules,
  reenrich: z.boolean().default(false),
  /** The most credits the person agreed to: a start that would cost more is refused. */
  confirmedMaxCredits: z.number().int().min(0),
});

export type ApolloImportStarted = { importId: string; accountId: string; people: number; maxCredits: number };

/**
 * Creates the import (queued, with its rules and the Apollo mapping) and its list of people.
 * Written on the service connection, as the upload route does (imports are created there);
 * the person's role, their right to spend the workspace's Apollo key and the owners chosen
 * are checked first, as themselves.
 */
export async function startApolloImport(
  tx: Database,
  actor: IntegrationActor,
  input: z.output<typeof ZStartApolloImport>,
): Promise<ApolloImportStarted> {
  assertCanImportFromApollo(actor);
  const { accountId, sandbox } = await apolloClientForWorkspace(tx, actor);
  await assertOwners(tx, actor, input.rules);
  const estimate = await estimateFor(tx, actor, input.personIds, input.reenrich, sandbox);
  if (estimate.maxCredits > input.confirmedMaxCredits) {
    throw new AppError(
      "conflict",
      `This import can now cost up to ${estimate.maxCredits} credits, more than the ${input.confirmedMaxCredits} you confirmed: check the estimate again.`,
    );
  }
  const importId = randomUUID();
  const people = estimate.personIds.length;
  await serviceDb().transaction(async (db) => {
    await db.insert(leadImports).values({
      id: importId,
      workspaceId: actor.workspaceId,
      createdBy: actor.userId,
      fileName: `Apollo People Search${sandbox ? " (sample data)" : ""}: ${people} ${people === 1 ? "person" : "people"}`,
      fileSize: 0,
      encoding: "utf-8",
      delimiter: ",",
      headers: APOLLO_IMPORT_HEADERS,
      totalRows: people,
      status: "queued",
      preset: APOLLO_IMPORT_PRESET,
      source: "apollo",
      sandbox,
      mapping: APOLLO_IMPORT_MAPPING as unknown as Record<string, unknown>,
      rules: input.rules as unknown as Record<string, unknown>,
    });
    await db.insert(apolloImports).values({
      importId,
      workspaceId: actor.workspaceId,
      accountId,
      personIds: estimate.personIds,
      reenrich: input.reenrich,
    });
  });
  return { importId, accountId, people, maxCredits: estimate.maxCredits };
}

/** After the commit: starts the job; if it cannot be sent, the import says so instead of waiting forever. */
export async function sendApolloImportEvent(ref: { workspaceId: string; importId: string; accountId: string; requestedBy: string }) {
  const db = serviceDb();
  const scope = and(eq(leadImports.id, ref.importId), eq(leadImports.workspaceId, ref.workspaceId));
  try {
    const { ids } = await sendEvent({ name: "integrations/apollo-import.requested", data: ref, id: `apollo-import-${ref.importId}` });
    await db
      .update(leadImports)
      .set({ jobEventId: ids[0] ?? null })
      .where(scope);
  } catch (error) {
    console.error("[apollo import] job not started", error);
    await db
      .update(leadImports)
      .set({ status: "failed", error: "The import could not be started in the background.", finishedAt: sql`now()` as unknown as Date })
      .where(and(scope, eq(leadImports.status, "queued")));
    throw new AppError("unavailable", "The import could not be started in the background. Nothing was spent: try again in a moment.");
  }
}
