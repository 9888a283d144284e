import "server-only";
import { and, eq } from "drizzle-orm";
import { serviceDb, type Database } from "@/db";
import { leadBulkOperations } from "@/db/schema";
import { INLINE_LIMIT, type BulkProgress } from "./schemas";
import { progressOf } from "./run-bulk-batch";

/** Whether a bulk change is still queued or running (service connection: the job's own question). */
export async function bulkOperationInProgress(workspaceId: string, operationId: string, db: Database = serviceDb()): Promise<boolean> {
  const [op] = await db
    .select({ status: leadBulkOperations.status })
    .from(leadBulkOperations)
    .where(and(eq(leadBulkOperations.id, operationId), eq(leadBulkOperations.workspaceId, workspaceId)));
  return op?.status === "queued" || op?.status === "running";
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
