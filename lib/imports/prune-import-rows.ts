import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { deleteInBatches, DELETE_BATCH } from "@/db/delete-in-batches";

/**
 * Deletes the uploaded rows that an ended import (completed, cancelled, or failed for good) no
 * longer needs: every row without an issue. The import's counts, history and timeline entries
 * stay, and so do its skipped and failed rows, which its "fix and re-upload" file is made of
 * (open-import-issues.ts). Nothing reads the other rows again once an import has ended: a
 * replayed run finds it ended and stops (run-import-batch.ts).
 *
 * Without it every file ever uploaded stayed in the database whole: a million-row file is
 * hundreds of megabytes, and its names, addresses and phone numbers outlived the leads made from
 * them, even a lead deleted since. Run nightly for every workspace (prune-old-records). An import
 * done with is marked (rows_pruned_at, migration 0144) and not visited again, so a night costs
 * the imports ended since the last one, not the whole history.
 */
export async function pruneEndedImportRows(db: Executor, { batch = DELETE_BATCH }: { batch?: number } = {}): Promise<{ deleted: number }> {
  let deleted = 0;
  for (;;) {
    const ended = await db.execute<{ id: string }>(sql`
      select id from public.lead_imports
      where rows_pruned_at is null and finished_at is not null
      order by finished_at, id
      limit 100`);
    if (ended.length === 0) return { deleted };
    for (const { id } of ended) {
      deleted += await deleteInBatches(
        db,
        (limit) => sql`
          with doomed as (
            select r.row_number from public.lead_import_rows r
            where r.import_id = ${id}
              and not exists (select 1 from public.lead_import_issues i where i.import_id = r.import_id and i.row_number = r.row_number)
            limit ${limit}),
          gone as (
            delete from public.lead_import_rows r using doomed
            where r.import_id = ${id} and r.row_number = doomed.row_number
            returning 1)
          select count(*)::int as n from gone`,
        batch,
      );
      await db.execute(sql`update public.lead_imports set rows_pruned_at = now() where id = ${id}`);
    }
  }
}
