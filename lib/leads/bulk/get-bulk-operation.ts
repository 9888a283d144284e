import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { leadBulkOperations } from "@/db/schema";
import { INLINE_LIMIT, type BulkProgress } from "./schemas";
import { progressOf } from "./run-bulk-batch";

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
