import { and, inArray, lt, notExists, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jobEvents, jobRuns } from "@/db/schema";

/**
 * Deletes finished runs (with their steps) older than the retention, then the old events no
 * run refers to any more. Runs still in progress are never touched. System-wide, like the
 * cron that calls it.
 */
export async function pruneJobRuns(db: Executor, { olderThan }: { olderThan: Date }): Promise<{ runs: number; events: number }> {
  const runs = await db
    .delete(jobRuns)
    .where(and(inArray(jobRuns.status, ["completed", "failed", "cancelled"]), lt(jobRuns.endedAt, olderThan)))
    .returning({ id: jobRuns.id });
  const events = await db
    .delete(jobEvents)
    .where(
      and(
        lt(jobEvents.createdAt, olderThan),
        notExists(
          db
            .select({ one: sql`1` })
            .from(jobRuns)
            .where(sql`${jobRuns.eventId} = ${jobEvents.id}`),
        ),
      ),
    )
    .returning({ id: jobEvents.id });
  return { runs: runs.length, events: events.length };
}
