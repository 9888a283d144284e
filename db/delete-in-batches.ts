import type { SQL } from "drizzle-orm";
import type { Executor } from "./client";

/** Rows deleted per statement by a retention job: short transactions, however much is due. */
export const DELETE_BATCH = 10_000;

/**
 * Runs `deleteSome(limit)` until it deletes fewer than `limit` rows, and returns how many went
 * in all. The statement deletes at most `limit` rows and selects their number as `n` (a
 * `with doomed as (… limit …), gone as (delete … returning 1) select count(*)::int as n from gone`):
 * a table that gathered months of rows before its retention existed is emptied in many short
 * statements, not one long transaction, and no row is sent back to be counted.
 */
export async function deleteInBatches(db: Executor, deleteSome: (limit: number) => SQL, limit = DELETE_BATCH): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [done] = await db.execute<{ n: number }>(deleteSome(limit));
    deleted += done!.n;
    if (done!.n < limit) return deleted;
  }
}
