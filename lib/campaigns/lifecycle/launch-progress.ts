import "server-only";
import { and, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { withServiceTx, type Executor } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { sendEvent } from "@/lib/jobs/send-event";
import { notify } from "@/lib/notifications/notify";
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

/**
 * A resume job begins restarting the campaign's active enrollments, if it is running: its pending
 * restart takes a new id, the one this job's finishRestarting clears. Null when not running (the
 * job halts at its first batch).
 */
export async function beginRestarting(
  db: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<string | null> {
  const [row] = await db.execute<{ id: string }>(sql`
    update public.campaigns set pending_restart = gen_random_uuid()
    where id = ${campaignId} and workspace_id = ${workspaceId} and status = 'running'
    returning pending_restart as id`);
  return row?.id ?? null;
}

/**
 * The resume restarted every active enrollment and asked for their runs: no restart is pending,
 * unless the campaign was paused and resumed since the job began (the id is a new one then), for
 * the resume asked for then to do.
 */
export async function finishRestarting(
  db: Executor,
  { workspaceId, campaignId, restartId }: { workspaceId: string; campaignId: string; restartId: string | null },
): Promise<void> {
  if (restartId === null) return;
  await db.execute(sql`update public.campaigns set pending_restart = null
    where id = ${campaignId} and workspace_id = ${workspaceId} and pending_restart = ${restartId}`);
}

/** Why a launch (or a resume) cannot go on while the campaign is running, in words for the campaign page. */
export const LAUNCH_HELD_REASONS = {
  no_identity: "Every sending identity of this campaign was archived: restore one or edit the campaign, then resume it.",
  no_step: "This campaign has no step to send.",
  launch_failed:
    "The launch failed before every lead was enrolled. Resume the campaign to try again: leads already enrolled are not enrolled twice. The error is on the launch's job run.",
  instantly_push_failed:
    "Sending this campaign to Instantly failed. Resume the campaign to try again: what Instantly already has (the campaign, the leads added) is not sent twice. The reason is on the campaign page and on the push's job run.",
  resume_failed:
    "The resume failed before every lead's sequence was restarted. Resume the campaign again: nothing already sent is sent again. The error is on the resume's job run.",
} as const;

/**
 * The launch met a campaign it cannot enroll for (its mailboxes archived since the launch), or it
 * or a resume failed for good after its retries: the campaign pauses itself with the reason shown, audited,
 * admins told, rather than run for ever with nobody (or not everybody) enrolled or restarted. A
 * resume asks for the launch again while enrolled_at is null (resumeCampaign), which enrolls only
 * the leads not enrolled yet, and restarts every active enrollment. After the commit, campaigns/campaign.paused holds any run already started.
 * A campaign no longer running (paused, stopped, edited) is left as it is: a resume of a paused
 * one relaunches the enrollment anyway; so is one whose launch has enrolled everyone since
 * (enrolled_at), or whose enrollments a resume has all restarted since (pending_restart cleared),
 * when the failure of an earlier launch or resume is handled again (a replay).
 */
export async function holdLaunch({
  workspaceId,
  campaignId,
  why,
  error,
}: {
  workspaceId: string;
  campaignId: string;
  why: keyof typeof LAUNCH_HELD_REASONS;
  error?: string;
}): Promise<{ paused: boolean }> {
  const reason = LAUNCH_HELD_REASONS[why];
  // A failure holds the campaign only while the work it stopped is unfinished: a failure handler
  // replayed (the Jobs page) after a later launch enrolled everyone, or a later resume restarted
  // every enrollment, changes nothing.
  const unfinished: Partial<Record<typeof why, SQL>> = {
    launch_failed: isNull(campaigns.enrolledAt),
    resume_failed: isNotNull(campaigns.pendingRestart),
  };
  return withServiceTx(async (tx) => {
    const paused = await tx
      .update(campaigns)
      .set({ status: "paused", pauseReason: reason, pausedAt: sql`now()`, pausedBy: null, pauseCause: "launch_held" })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId), eq(campaigns.status, "running"), unfinished[why]))
      .returning({ name: campaigns.name, pausedAt: campaigns.pausedAt });
    if (paused.length === 0) return { paused: false };
    const { name, pausedAt } = paused[0]!;
    await recordAudit(tx, {
      workspaceId,
      actorId: null,
      action: "campaign.auto_paused",
      targetType: "campaign",
      targetId: campaignId,
      metadata: { name, reason, cause: why, ...(error ? { error: error.slice(0, 1000) } : {}) },
    });
    await notify(tx, {
      workspaceId,
      actorId: null,
      to: { roles: ["admin"] },
      kind: "campaign_auto_paused",
      title: `“${name}” paused itself`,
      body: reason,
      link: `/campaigns/${campaignId}`,
      subjectId: campaignId,
    });
    afterCommit(tx, "hold launch", async () => {
      await sendEvent({
        name: "campaigns/campaign.paused",
        data: { workspaceId, campaignId },
        id: `campaign-paused-${campaignId}-${pausedAt!.getTime()}`,
      });
    });
    return { paused: true };
  });
}
