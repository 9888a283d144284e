import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { serviceDb, type Database } from "@/db";
import { leadBulkOperations } from "@/db/schema";
import { INLINE_LIMIT, type BulkProgress } from "./schemas";
import { progressOf } from "./run-bulk-batch";
import { BULK_UNDO_LIMIT_SECONDS } from "./undo-window";

/**
 * Where a delete stands for the leads it took out of Instantly campaigns: `busy` while it, or an
 * undo of it, is queued or running; else `undoableUntil`, the moment an undo is no longer taken
 * (BULK_UNDO_LIMIT_SECONDS after it ended). Null for no such delete. Service connection: the job's own question.
 */
export async function deleteUndoState(
  workspaceId: string,
  operationId: string,
  db: Database = serviceDb(),
): Promise<{ busy: boolean; undoableUntil: string | null } | null> {
  const [row] = await db.execute<{ busy: boolean; undoable_until: string | null }>(sql`
    select o.status in ('queued', 'running') or exists (
             select 1 from public.lead_bulk_operations u
             where u.workspace_id = o.workspace_id and u.undo_of = o.id and u.status in ('queued', 'running')) as busy,
           to_char((o.finished_at + make_interval(secs => ${BULK_UNDO_LIMIT_SECONDS})) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as undoable_until
    from public.lead_bulk_operations o
    where o.id = ${operationId} and o.workspace_id = ${workspaceId} and o.action = 'delete'`);
  return row ? { busy: row.busy, undoableUntil: row.undoable_until } : null;
}

/** One of the person's bulk changes, as the progress bar shows it; null for anyone else's (RLS) or another workspace's. */
export async function getBulkOperation(
  tx: Database,
  { workspaceId, operationId }: { workspaceId: string; operationId: string },
): Promise<BulkProgress | null> {
  const [op] = await tx
    .select()
    .from(leadBulkOperations)
    .where(and(eq(leadBulkOperations.id, operationId), eq(leadBulkOperations.workspaceId, workspaceId)));
  return op ? progressOf(op, op.total > INLINE_LIMIT) : null;
}
