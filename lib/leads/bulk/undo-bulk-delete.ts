import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { leadBulkOperations } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { BulkProgress } from "./schemas";
import { startBulkOperation, type BulkActor } from "./start-bulk-operation";
import { BULK_UNDO_LIMIT_SECONDS } from "./undo-window";

/**
 * Undoes a bulk delete of the actor's: a delete still under way stops first (its batches lock
 * the operation row, so this waits for the one in flight and no batch commits after it), then
 * every lead it deleted is restored, with its timeline entry. Only the person who deleted can
 * undo (RLS shows nobody else the operation); anyone who may edit the leads can restore them
 * from the "Deleted" filter instead. Only up to BULK_UNDO_LIMIT_SECONDS after the delete ended:
 * past that its leads have left their Instantly campaigns, which a restore does not give back.
 */
export async function undoBulkDelete(tx: Database, actor: BulkActor, { operationId }: { operationId: string }): Promise<BulkProgress> {
  const theirDelete = and(
    eq(leadBulkOperations.id, operationId),
    eq(leadBulkOperations.workspaceId, actor.workspaceId),
    eq(leadBulkOperations.requestedBy, actor.userId),
    inArray(leadBulkOperations.action, ["delete"]),
  );
  const [op] = await tx
    .update(leadBulkOperations)
    .set({
      status: sql`case when ${leadBulkOperations.status} in ('queued', 'running') then 'cancelled'::public.lead_bulk_status else ${leadBulkOperations.status} end`,
      finishedAt: sql`coalesce(${leadBulkOperations.finishedAt}, now())`,
    })
    .where(
      and(
        theirDelete,
        sql`(${leadBulkOperations.finishedAt} is null or ${leadBulkOperations.finishedAt} > now() - make_interval(secs => ${BULK_UNDO_LIMIT_SECONDS}))`,
      ),
    )
    .returning({ id: leadBulkOperations.id });
  if (!op) {
    const [late] = await tx.select({ id: leadBulkOperations.id }).from(leadBulkOperations).where(theirDelete);
    if (late) {
      throw new AppError(
        "conflict",
        "Too late to undo this delete. Restore the leads from the Deleted filter instead (they stay out of the Instantly campaigns they have left).",
      );
    }
    throw notFound("That delete");
  }
  try {
    return await startBulkOperation(tx, actor, { selection: { ids: [] }, change: { action: "restore" }, undoOf: op.id });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      throw new AppError("not_found", "Nothing to undo: the deleted leads were already restored.");
    }
    throw error;
  }
}
