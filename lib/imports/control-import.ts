import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb, type Database } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { apolloImports, leadImports, workspaceMembers } from "@/db/schema";
import type { ImportStatus } from "@/db/schema/lead-import-enums";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { ZImportMapping, ZImportRules, type ImportRules } from "./types";
import { PRESET_IDS } from "./presets/preset";
import { forgetImportKeys } from "./run-import-batch";

/**
 * Starting, pausing, resuming and cancelling an import, as the person (their RLS
 * transaction): the import's creator, or a manager or admin of its workspace (the
 * lead_imports update policy). Each moves the status only from the states it makes sense
 * in, at once even while a batch runs; the job reads the status before every batch and keeps
 * it at the batch's end, so a pause or cancel takes effect when the batch under way ends, and
 * a resume continues from the cursor.
 */

export type ImportActor = { workspaceId: string; userId: string; role: WorkspaceRole };

export const ZImportRef = z.object({ importId: z.uuid("That import is not valid.") });

export const ZStartImport = z.object({
  importId: z.uuid("That import is not valid."),
  // A file's preset only: "apollo_api" and "api" mark the leads and the history as Apollo's search
  // or the REST API's, which a file is not.
  preset: z.enum(PRESET_IDS, { error: "Choose one of the presets, or none to keep your own mapping." }).nullable(),
  mapping: ZImportMapping,
  rules: ZImportRules,
});
export type StartImportInput = z.infer<typeof ZStartImport>;

/**
 * `requestedBy` (with `sendEvent`): whose rights the job acts with. A resume keeps the rights of
 * the person who started the import (lead_imports.started_by), not of whoever resumed it nor of
 * whoever uploaded the file: a manager resuming a sales rep's paused import must not let it
 * overwrite leads the rep may not edit, and a manager's start of a rep's file must not drop to
 * the rep's rights half-way (the job writes on the service connection, where those rights are
 * the only gate).
 */
export type ImportControlResult = { importId: string; status: ImportStatus; sendEvent: boolean; requestedBy?: string };

const OWNER_ROLES: WorkspaceRole[] = ["admin", "manager", "sales_rep"];
const NAMES: Record<ImportStatus, string> = {
  mapping: "waiting for its mapping",
  queued: "queued",
  running: "running",
  paused: "paused",
  completed: "finished",
  failed: "stopped after an error",
  cancelled: "cancelled",
};

async function loadImport(tx: Database, actor: ImportActor, importId: string) {
  if (!can(actor.role, "imports.run")) throw forbidden("Your role can read leads but not import them.");
  const [imp] = await tx
    .select({
      id: leadImports.id,
      status: leadImports.status,
      headers: leadImports.headers,
      createdBy: leadImports.createdBy,
      startedBy: leadImports.startedBy,
    })
    .from(leadImports)
    .where(and(eq(leadImports.id, importId), eq(leadImports.workspaceId, actor.workspaceId)))
    // Not FOR UPDATE: a running batch holds the KEY SHARE lock its rows' foreign keys take on
    // this row, and a pause must not wait for the batch (run-import-batch.ts).
    .for("no key update");
  if (!imp) throw notFound("That import");
  if (imp.createdBy !== actor.userId && !can(actor.role, "leads.edit_all")) {
    throw forbidden("Only the person who started this import, a manager or an admin can change it.");
  }
  return imp;
}

async function moveStatus(
  tx: Database,
  actor: ImportActor,
  importId: string,
  patch: Partial<typeof leadImports.$inferInsert> & { status: ImportStatus },
): Promise<void> {
  // Only the plan and state columns are granted to members (migration 0018): updated_at is the job's.
  await tx
    .update(leadImports)
    .set(patch)
    .where(and(eq(leadImports.id, importId), eq(leadImports.workspaceId, actor.workspaceId)));
}

/** Records the mapping, rules and preset and queues the import; the caller sends the event after the commit. */
export async function startLeadImport(tx: Database, actor: ImportActor, input: StartImportInput): Promise<ImportControlResult> {
  const imp = await loadImport(tx, actor, input.importId);
  if (imp.status !== "mapping") throw new AppError("conflict", `This import has already been started (it is ${NAMES[imp.status]}).`);
  if (input.mapping.columns.length !== imp.headers.length) {
    throw new AppError("invalid_input", `The file has ${imp.headers.length} columns: choose what each of them fills (or ignore it).`);
  }
  await assertOwners(tx, actor, input.rules);
  await moveStatus(tx, actor, imp.id, { status: "queued", preset: input.preset, mapping: input.mapping, rules: input.rules, error: null });
  return { importId: imp.id, status: "queued", sendEvent: true };
}

export async function assertOwners(tx: Database, actor: ImportActor, rules: ImportRules): Promise<void> {
  const owners =
    rules.owner.kind === "none" ? [] : rules.owner.kind === "member" ? [rules.owner.userId] : [...new Set(rules.owner.userIds)];
  if (owners.length === 0) return;
  if (actor.role === "sales_rep" && owners.some((o) => o !== actor.userId)) {
    throw forbidden("As a sales rep you can give imported leads only to yourself. Ask a manager to share them out.");
  }
  const members = await tx
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(
      and(
        eq(workspaceMembers.workspaceId, actor.workspaceId),
        inArray(workspaceMembers.userId, owners),
        inArray(workspaceMembers.role, OWNER_ROLES),
      ),
    );
  if (members.length !== owners.length) {
    throw new AppError("invalid_input", "Choose owners among the members who can own leads (sales reps, managers and admins).", {
      owner: ["Choose owners among the members who can own leads."],
    });
  }
}

export async function pauseLeadImport(tx: Database, actor: ImportActor, importId: string): Promise<ImportControlResult> {
  const imp = await loadImport(tx, actor, importId);
  if (imp.status !== "queued" && imp.status !== "running")
    throw new AppError("conflict", `This import is ${NAMES[imp.status]}: only a running import can be paused.`);
  // An import from Apollo has rows only once its people are revealed (lib/integrations/apollo/import).
  const [revealing] = await tx
    .select({ importId: apolloImports.importId })
    .from(apolloImports)
    .where(
      and(eq(apolloImports.importId, imp.id), eq(apolloImports.workspaceId, actor.workspaceId), isNull(apolloImports.enrichmentFinishedAt)),
    );
  if (revealing) {
    throw new AppError(
      "conflict",
      "This import is still revealing its people in Apollo: it can be paused once it writes leads, or cancelled now (nothing more is spent).",
    );
  }
  await moveStatus(tx, actor, imp.id, { status: "paused" });
  return { importId: imp.id, status: "paused", sendEvent: false };
}

/** Queues a paused import again; the caller sends a new event, whose job continues from the cursor. */
export async function resumeLeadImport(tx: Database, actor: ImportActor, importId: string): Promise<ImportControlResult> {
  const imp = await loadImport(tx, actor, importId);
  if (imp.status !== "paused") throw new AppError("conflict", `This import is ${NAMES[imp.status]}: only a paused import can be resumed.`);
  // Imports started before started_by was recorded ran with their uploader's rights.
  const starter = imp.startedBy ?? imp.createdBy;
  if (!starter) {
    throw new AppError("conflict", "The account that started this import no longer exists: upload the file again to import the rest.");
  }
  await moveStatus(tx, actor, imp.id, { status: "queued", error: null });
  return { importId: imp.id, status: "queued", sendEvent: true, requestedBy: starter };
}

/** Stops the import for good: the rows already processed stay as they are, with their counts. */
export async function cancelLeadImport(tx: Database, actor: ImportActor, importId: string): Promise<ImportControlResult> {
  const imp = await loadImport(tx, actor, importId);
  if (imp.status !== "queued" && imp.status !== "running" && imp.status !== "paused") {
    throw new AppError("conflict", `This import is ${NAMES[imp.status]}: there is nothing to cancel.`);
  }
  await moveStatus(tx, actor, imp.id, { status: "cancelled", finishedAt: sql`now()` as unknown as Date });
  // A paused import has no run left to forget what it remembered (its job ended at the pause):
  // a running or queued one forgets when its run sees the cancel.
  if (imp.status === "paused") {
    afterCommit(tx, "forget the identities a cancelled import remembered", () =>
      forgetImportKeys({ workspaceId: actor.workspaceId, importId: imp.id, requestedBy: actor.userId }),
    );
  }
  return { importId: imp.id, status: "cancelled", sendEvent: false };
}

/**
 * After the commit: sends the event that runs (or continues) the import and records its id
 * for the Jobs page. If it cannot be sent the import says so instead of waiting forever.
 */
export async function sendImportEvent(ref: { workspaceId: string; importId: string; requestedBy: string }, kind: "start" | "resume") {
  const db = serviceDb();
  const scope = and(eq(leadImports.id, ref.importId), eq(leadImports.workspaceId, ref.workspaceId));
  try {
    const { ids } = await sendEvent({
      name: "leads/import.requested",
      data: ref,
      id: kind === "start" ? `lead-import-${ref.importId}` : `lead-import-${ref.importId}-${Date.now()}`,
    });
    await db
      .update(leadImports)
      // A person's start recorded its starter itself (the guard of migration 0136); a start on the
      // service connection (the CLI, a PhantomBuster schedule) is recorded here.
      .set({
        jobEventId: ids[0] ?? null,
        ...(kind === "start" ? { startedBy: sql`coalesce(${leadImports.startedBy}, ${ref.requestedBy}::uuid)` as unknown as string } : {}),
      })
      .where(scope);
  } catch (error) {
    console.error("[imports] job not started", error);
    await db
      .update(leadImports)
      .set({ status: "failed", error: "The import could not be started in the background.", finishedAt: sql`now()` as unknown as Date })
      .where(and(scope, eq(leadImports.status, "queued")));
    throw new AppError("unavailable", "The import could not be started in the background. Try again in a moment.");
  }
}
