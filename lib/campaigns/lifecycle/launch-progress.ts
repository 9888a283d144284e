import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { sendEvent } from "@/lib/jobs/send-event";
import { completeCampaignIfDone } from "./complete-campaign";

/** A launch starts enrolling: until it finishes, the campaign cannot complete (a relaunch too). */
export async function beginEnrolling(
  db: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<void> {
  await db.execute(sql`update public.campaigns set enrolled_at = null where id = ${campaignId} and workspace_id = ${workspaceId}`);
}

/**
 * The launch enrolled everyone it could: from now the campaign completes with its last
 * enrollment, at once if none is active (an audience left empty by its exclusions).
 */
export async function finishEnrolling(
  db: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<{ completed: boolean }> {
  await db.execute(sql`update public.campaigns set enrolled_at = now() where id = ${campaignId} and workspace_id = ${workspaceId}`);
  return { completed: await completeCampaignIfDone(db, campaignId) };
}

/** Why a launch cannot go on while the campaign is running, in words for the campaign page. */
export const LAUNCH_HELD_REASONS = {
  no_identity: "Every sending identity of this campaign was archived: restore one or edit the campaign, then resume it.",
  no_step: "This campaign has no step to send.",
} as const;

/**
 * The launch met a campaign it cannot enroll for (its mailboxes archived since the launch): the
 * campaign pauses itself with the reason shown, audited, rather than run forever with nobody
 * enrolled. After the commit, campaigns/campaign.paused holds any run already started.
 */
export async function holdLaunch(
  db: Executor,
  { workspaceId, campaignId, why }: { workspaceId: string; campaignId: string; why: keyof typeof LAUNCH_HELD_REASONS },
): Promise<{ paused: boolean }> {
  const reason = LAUNCH_HELD_REASONS[why];
  const rows = await db.execute<{ id: string }>(sql`
    with paused as (
      update public.campaigns set status = 'paused', pause_reason = ${reason}, paused_at = now(), paused_by = null
      where id = ${campaignId} and workspace_id = ${workspaceId} and status = 'running'
      returning id, workspace_id, name
    )
    insert into public.audit_log (workspace_id, actor_id, action, target_type, target_id, metadata)
    select workspace_id, null, 'campaign.paused', 'campaign', id::text, jsonb_build_object('name', name, 'reason', ${reason}::text) from paused
    returning target_id as id`);
  if (rows.length === 0) return { paused: false };
  await sendEvent({ name: "campaigns/campaign.paused", data: { workspaceId, campaignId } });
  return { paused: true };
}
