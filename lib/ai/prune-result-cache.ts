import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

/**
 * Cached model answers are kept this long. The cache makes a re-run over unchanged leads free;
 * an answer older than this is for a prompt, model and profile that have usually changed since,
 * and a lead asked again after it costs one call.
 */
export const AI_RESULT_CACHE_RETENTION_DAYS = 180;

/** Deletes cached answers past the retention, for every workspace (the nightly cron). */
export async function pruneAiResultCache(db: Executor, { now }: { now: Date }): Promise<{ deleted: number }> {
  const before = new Date(now.getTime() - AI_RESULT_CACHE_RETENTION_DAYS * 86_400_000).toISOString();
  const deleted = await db.execute<{ cache_key: string }>(sql`
    delete from private.ai_result_cache where created_at < ${before}::timestamptz returning cache_key`);
  return { deleted: deleted.length };
}
