import "server-only";
import type { Database } from "@/db";
import { leadBulkOperations } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, forbidden } from "@/lib/errors";
import { countSelection, progressOf, runBulkBatch } from "./run-bulk-batch";
import { cannotOwnLeads, leadOwnerRefusal } from "../lead-owner";
import { INLINE_LIMIT, type BulkChange, type BulkProgress, type BulkSelection } from "./schemas";
import type { StoredSelection } from "./selection-sql";

export type BulkActor = { workspaceId: string; userId: string; role: WorkspaceRole };

/** Rows per step of the background job: big enough to keep a million-lead change under Inngest's step limit. */
export function jobBatchSize(total: number): number {
  return Math.min(10_000, Math.max(2_000, Math.ceil(total / 400)));
}

const NOTHING = {
  ids: "None of the selected leads can be found in this workspace any more, so nothing was changed.",
  filter: "No leads match this filter, so nothing was changed.",
};

/**
 * Starts a bulk change as `actor` inside their RLS transaction. Up to one page of leads is
 * changed right here; anything larger is recorded as queued, and the caller sends the event
 * that starts the job once this transaction has committed (`background: true`). A selection
 * that matches nothing, and a filter whose count is no longer the one confirmed, are refused
 * before anything is written.
 */
export async function startBulkOperation(
  tx: Database,
  actor: BulkActor,
  input: { selection: BulkSelection; change: BulkChange; undoOf?: string },
): Promise<BulkProgress> {
  if (!can(actor.role, "leads.edit_own")) throw forbidden("Your role can read leads but not change them.");
  const { change } = input;
  if (change.action === "assign_owner") await assertAssignable(tx, actor, change.ownerId);

  const stored: StoredSelection = input.undoOf
    ? { kind: "undo", operationId: input.undoOf }
    : "ids" in input.selection
      ? { kind: "ids", ids: [...new Set(input.selection.ids)] }
      : { kind: "filter", query: input.selection.filter };
  const restoring = change.action === "restore";
  if (stored.kind === "filter") {
    const deletedView = new URLSearchParams(stored.query).get("deleted") === "1";
    if (deletedView && !restoring)
      throw new AppError("invalid_input", "Deleted leads can only be restored. Restore them first to change them.");
    if (!deletedView && restoring)
      throw new AppError("invalid_input", "Only deleted leads can be restored: open the Deleted filter first.");
  }
  const count = await countSelection(tx, stored, { ...actor, restoring });
  if (count === 0) throw new AppError("not_found", stored.kind === "filter" ? NOTHING.filter : NOTHING.ids);
  if ("confirmedCount" in input.selection && count !== input.selection.confirmedCount) {
    throw new AppError(
      "conflict",
      `This filter now matches ${count.toLocaleString("en")} leads, not the ${input.selection.confirmedCount.toLocaleString("en")} you confirmed. Check and confirm again.`,
    );
  }

  // Ids count as selected (missing ones are reported as such); a filter counts what it matches.
  const total = stored.kind === "ids" ? stored.ids.length : count;
  const background = count > INLINE_LIMIT;
  const { action, ...params } = change;
  const [op] = await tx
    .insert(leadBulkOperations)
    .values({
      workspaceId: actor.workspaceId,
      requestedBy: actor.userId,
      action,
      params,
      selection: stored,
      undoOf: input.undoOf ?? null,
      total,
      status: background ? "queued" : "running",
    })
    .returning();
  if (background) return progressOf(op!, true);
  const done = await runBulkBatch(tx, {
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    operationId: op!.id,
    batchSize: INLINE_LIMIT + 1,
  });
  return progressOf(done, false);
}

async function assertAssignable(tx: Database, actor: BulkActor, ownerId: string | null): Promise<void> {
  if (ownerId === null) return;
  if (!can(actor.role, "leads.assign") && ownerId !== actor.userId) {
    throw forbidden("Your role can assign leads only to yourself. Ask a manager to assign them to someone else.");
  }
  const refusal = await leadOwnerRefusal(tx, actor.workspaceId, ownerId);
  if (refusal === "not_member") throw new AppError("not_found", "That person is not a member of this workspace.");
  if (refusal === "cannot_own") throw cannotOwnLeads();
}
