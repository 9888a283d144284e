"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { countSelection } from "@/lib/leads/bulk/run-bulk-batch";
import { markBulkOperationFailed } from "@/lib/leads/bulk/run-as-requester";
import {
  ZBulkAssign,
  ZBulkCount,
  ZBulkOperationRef,
  ZBulkSelectionOnly,
  ZBulkStatus,
  ZBulkTags,
  type BulkProgress,
} from "@/lib/leads/bulk/schemas";
import { startBulkOperation, type BulkActor } from "@/lib/leads/bulk/start-bulk-operation";
import { undoBulkDelete as undoDelete } from "@/lib/leads/bulk/undo-bulk-delete";

/**
 * Bulk changes of leads (lib/leads/bulk). Each changes up to one page of leads in the request;
 * a larger one is recorded in the transaction and its job is started once that has committed
 * (afterCommit), and the bar follows it on /api/leads/bulk-operations/<id>.
 */

const actorOf = (session: WorkspaceSession): BulkActor => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

async function startJobIfNeeded({ session }: { session: WorkspaceSession }, progress: BulkProgress): Promise<BulkProgress> {
  if (!progress.background) return progress;
  const ref = { workspaceId: session.current.workspaceId, operationId: progress.operationId, requestedBy: session.userId };
  try {
    await sendEvent({ name: "leads/bulk.requested", data: { ...ref, total: progress.total }, id: `lead-bulk-${progress.operationId}` });
  } catch (error) {
    console.error("[bulk-actions] job not started", error);
    await markBulkOperationFailed(ref, "The background job could not be started.");
    throw new AppError("unavailable", "The change could not be started in the background, so nothing was changed. Try again in a moment.");
  }
  return progress;
}

const common = { auth: "leads.edit_own" as const, afterCommit: startJobIfNeeded, revalidate: ["/leads"] };

export const bulkAssignOwner = defineAction({
  ...common,
  name: "bulkAssignOwner",
  schema: ZBulkAssign,
  handler: ({ session, tx }, { selection, ownerId }) =>
    startBulkOperation(tx, actorOf(session), { selection, change: { action: "assign_owner", ownerId } }),
});

export const bulkSetStatus = defineAction({
  ...common,
  name: "bulkSetStatus",
  schema: ZBulkStatus,
  handler: ({ session, tx }, { selection, status }) =>
    startBulkOperation(tx, actorOf(session), { selection, change: { action: "set_status", status } }),
});

export const bulkAddTags = defineAction({
  ...common,
  name: "bulkAddTags",
  schema: ZBulkTags,
  handler: ({ session, tx }, { selection, tags }) =>
    startBulkOperation(tx, actorOf(session), { selection, change: { action: "add_tags", tags } }),
});

export const bulkRemoveTags = defineAction({
  ...common,
  name: "bulkRemoveTags",
  schema: ZBulkTags,
  handler: ({ session, tx }, { selection, tags }) =>
    startBulkOperation(tx, actorOf(session), { selection, change: { action: "remove_tags", tags } }),
});

/** Soft: the leads move to the "Deleted" filter; the bar offers undo for 10 seconds. */
export const bulkDelete = defineAction({
  ...common,
  name: "bulkDelete",
  schema: ZBulkSelectionOnly,
  handler: ({ session, tx }, { selection }) => startBulkOperation(tx, actorOf(session), { selection, change: { action: "delete" } }),
});

export const bulkRestore = defineAction({
  ...common,
  name: "bulkRestore",
  schema: ZBulkSelectionOnly,
  handler: ({ session, tx }, { selection }) => startBulkOperation(tx, actorOf(session), { selection, change: { action: "restore" } }),
});

export const undoBulkDelete = defineAction({
  ...common,
  name: "undoBulkDelete",
  schema: ZBulkOperationRef,
  handler: ({ session, tx }, { operationId }) => undoDelete(tx, actorOf(session), { operationId }),
});

/** The exact number of leads a filter matches now, which the person confirms before a change to all of them. */
export const countBulkSelection = defineAction({
  name: "countBulkSelection",
  schema: ZBulkCount,
  auth: "leads.edit_own",
  handler: async ({ session, tx }, { filter }) => {
    const count = await countSelection(
      tx,
      { kind: "filter", query: filter },
      { workspaceId: session.current.workspaceId, userId: session.userId, restoring: new URLSearchParams(filter).get("deleted") === "1" },
    );
    return { count };
  },
});
