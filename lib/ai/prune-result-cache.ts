import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { deleteInBatches, DELETE_BATCH } from "@/db/delete-in-batches";

/**
 * Cached model answers are kept this long. The cache makes a re-run over unchanged leads free;
 * an answer older than this is for a prompt, model and profile that have usually changed since,
 * and a lead asked again after it costs one call.
 */
export const AI_RESULT_CACHE_RETENTION_DAYS = 180;

/** Deletes cached answers past the retention, for every workspace (the nightly cron). */
export async function pruneAiResultCache(
  db: Executor,
  { now, batch = DELETE_BATCH }: { now: Date; batch?: number },
): Promise<{ deleted: number }> {
  const before = new Date(now.getTime() - AI_RESULT_CACHE_RETENTION_DAYS * 86_400_000).toISOString();
  const deleted = await deleteInBatches(
    db,
    (limit) => sql`
      with doomed as (select workspace_id, cache_key from private.ai_result_cache where created_at < ${before}::timestamptz limit ${limit}),
      gone as (
        delete from private.ai_result_cache c using doomed
        where c.workspace_id = doomed.workspace_id and c.cache_key = doomed.cache_key returning 1)
      select count(*)::int as n from gone`,
    batch,
  );
  return { deleted };
}
