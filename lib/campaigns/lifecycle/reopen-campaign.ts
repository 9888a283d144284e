import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

/**
 * A completed campaign runs again because one of its sequences resumes: the reply that ended its
 * last enrollment (and so completed it) was read as an absence notice, and the sequence goes on
 * after the return date. On the service connection, in the caller's transaction (the guard of
 * migration 0063 refuses this move to people), audited as `campaign.reopened` with no actor;
 * only a campaign sent from here (Resend) whose content is still the approved content: one edited
 * since stays completed. When the resumed enrollment ends again, completeCampaignIfDone completes
 * it again. Returns whether it runs now.
 */
export async function reopenCompletedCampaign(
  tx: Executor,
  { workspaceId, campaignId, reason }: { workspaceId: string; campaignId: string; reason: string },
): Promise<boolean> {
  const rows = await tx.execute<{ id: string }>(sql`
    with reopened as (
      update public.campaigns c set status = 'running', finished_at = null
      where c.id = ${campaignId} and c.workspace_id = ${workspaceId}
        and c.status = 'completed' and c.delivery = 'resend'
        and c.approved_content_hash = private.campaign_content_hash(c.id)
      returning c.id, c.workspace_id, c.name
    )
    insert into public.audit_log (workspace_id, actor_id, action, target_type, target_id, metadata)
    select workspace_id, null, 'campaign.reopened', 'campaign', id::text, jsonb_build_object('name', name, 'reason', ${reason}::text)
    from reopened
    returning target_id as id`);
  return rows.length > 0;
}
