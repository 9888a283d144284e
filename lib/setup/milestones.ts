import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

/**
 * What happens once per database, recorded in it (private.installation_milestones, migration
 * 0005): a restart, a second app instance or a second start on a copied data directory all
 * see the same record.
 */
export type Milestone = "demo_data_seeded" | "first_admin_created";

export async function milestoneReachedAt(db: Pick<Executor, "execute">, milestone: Milestone): Promise<Date | null> {
  const [row] = await db.execute<{ reached_at: string }>(
    sql`select reached_at from private.installation_milestones where milestone = ${milestone}`,
  );
  return row ? new Date(row.reached_at) : null;
}

/**
 * Records a milestone in the caller's transaction. Returns false when it was already recorded
 * (by this or a concurrent transaction, which the primary key makes wait and then lose).
 */
export async function recordMilestone(
  tx: Pick<Executor, "execute">,
  milestone: Milestone,
  detail: Record<string, unknown> = {},
): Promise<boolean> {
  const inserted = await tx.execute(sql`
    insert into private.installation_milestones (milestone, detail)
    values (${milestone}, ${JSON.stringify(detail)}::jsonb)
    on conflict (milestone) do nothing
    returning milestone`);
  return inserted.length === 1;
}

/** Test-only and for `npm run db:seed`: forget a milestone so that it can be reached again. */
export async function forgetMilestone(db: Pick<Executor, "execute">, milestone: Milestone): Promise<void> {
  await db.execute(sql`delete from private.installation_milestones where milestone = ${milestone}`);
}
