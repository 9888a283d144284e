import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

/**
 * A running or paused campaign whose launch has enrolled everyone and whose last active
 * enrollment has ended becomes completed (DESIGN.md §6), audited, in one statement: the
 * campaigns guard allows that move only on the service connection. Call it AFTER the commit
 * that ended an enrollment: of two sequences ending the last two enrollments at once, the one
 * that commits second sees the other's end, and the status condition makes any later call a
 * no-op. Returns whether this call completed it.
 */
export async function completeCampaignIfDone(db: Executor, campaignId: string): Promise<boolean> {
  const rows = await db.execute<{ id: string }>(sql`
    with completed as (
      update public.campaigns c set status = 'completed', finished_at = now()
      where c.id = ${campaignId}
        and c.status in ('running', 'paused')
        and c.enrolled_at is not null
        and not exists (
          select 1 from public.campaign_enrollments e
          where e.campaign_id = c.id and e.workspace_id = c.workspace_id and e.status = 'active')
      returning c.id, c.workspace_id, c.name
    )
    insert into public.audit_log (workspace_id, actor_id, action, target_type, target_id, metadata)
    select workspace_id, null, 'campaign.completed', 'campaign', id::text, jsonb_build_object('name', name) from completed
    returning target_id as id`);
  return rows.length > 0;
}
