import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { serviceDb, withUserTx } from "@/db";
import { leadBulkOperations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { LOST_RIGHTS, progressOf, runBulkBatch } from "./run-bulk-batch";
import type { BulkProgress } from "./schemas";

export type BulkJobRef = { workspaceId: string; operationId: string; requestedBy: string };

/**
 * A batch of the background job, run as the person who asked: a transaction with their id as
 * auth.uid() and role `authenticated`, so RLS holds the job to exactly what they could do by
 * hand. No session token exists in a job; their role is read again from their membership on
 * every batch (runBulkBatch), so losing it stops the work.
 */
export async function runBulkBatchAsRequester(ref: BulkJobRef, batchSize: number): Promise<BulkProgress> {
  const batch = { workspaceId: ref.workspaceId, userId: ref.requestedBy, operationId: ref.operationId, batchSize };
  try {
    return await withUserTx({ sub: ref.requestedBy, role: "authenticated" }, async (tx) => progressOf(await runBulkBatch(tx, batch), true));
  } catch (error) {
    // RLS shows the operation only to its requester while they may edit leads: after a
    // demotion or removal it is "not found" to them, and the job ends it on their behalf.
    if (!(error instanceof AppError && error.code === "not_found")) throw error;
    await markBulkOperationFailed(ref, LOST_RIGHTS);
    const [op] = await serviceDb()
      .select()
      .from(leadBulkOperations)
      .where(and(eq(leadBulkOperations.id, ref.operationId), eq(leadBulkOperations.workspaceId, ref.workspaceId)));
    if (!op) throw error;
    return progressOf(op, true);
  }
}

/** After the job gave up (retries exhausted): the operation says so instead of running forever. */
export async function markBulkOperationFailed(ref: BulkJobRef, message: string): Promise<void> {
  await serviceDb()
    .update(leadBulkOperations)
    .set({ status: "failed", error: message, finishedAt: sql`now()` })
    .where(
      and(
        eq(leadBulkOperations.id, ref.operationId),
        eq(leadBulkOperations.workspaceId, ref.workspaceId),
        inArray(leadBulkOperations.status, ["queued", "running"]),
      ),
    );
}
