import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { INSTANTLY_NOT_CONNECTED, instantlyPushAccount, pushOf } from "@/lib/integrations/instantly/push/delivery";
import type { LifecycleResult } from "./launch-campaign";
import { CAMPAIGN_CHANGED_SINCE_APPROVAL, lockCampaignForLifecycle, type LifecycleActor } from "./lock-for-lifecycle";

/**
 * An admin resumes a paused campaign (whoever paused it, the bounce breaker included): the
 * resume job starts a new generation of each active enrollment, which continues from its next
 * step; runs of the old generation end without sending.
 */
export async function resumeCampaign(
  tx: Executor,
  actor: LifecycleActor,
  { campaignId }: { campaignId: string },
): Promise<LifecycleResult> {
  const campaign = await lockCampaignForLifecycle(tx, actor, campaignId, "resume");
  if (campaign.status === "running") throw new AppError("conflict", "This campaign is already running.");
  if (campaign.status === "draft" && campaign.approvedContentHash) throw new AppError("conflict", CAMPAIGN_CHANGED_SINCE_APPROVAL);
  if (campaign.status !== "paused") throw new AppError("conflict", "Only a paused campaign can be resumed.");
  if (!campaign.approvedContentHash || campaign.currentHash !== campaign.approvedContentHash) {
    throw new AppError("conflict", CAMPAIGN_CHANGED_SINCE_APPROVAL);
  }
  await tx
    .update(campaigns)
    .set({ status: "running", pauseReason: null, pausedAt: null, pausedBy: null, pauseCause: null })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.workspaceId, campaign.workspaceId)));
  await recordAudit(tx, {
    workspaceId: campaign.workspaceId,
    actorId: actor.userId,
    action: "campaign.resumed",
    targetType: "campaign",
    targetId: campaign.id,
    metadata: { name: campaign.name, pauseReason: campaign.pauseReason },
  });
  const data = { workspaceId: campaign.workspaceId, campaignId: campaign.id, requestedBy: actor.userId };
  if (campaign.delivery === "instantly") {
    // Activated on Instantly: resumed there. Not yet (the push failed, or was paused before its
    // end): the push is asked again, and continues from what it recorded.
    const push = await pushOf(tx, campaign.workspaceId, campaign.id);
    const accountId = push?.accountId ?? (await instantlyPushAccount(tx, campaign.workspaceId));
    if (!accountId) throw new AppError("conflict", INSTANTLY_NOT_CONNECTED);
    const { workspaceId, approvedContentHash: contentHash, approvalId } = campaign;
    afterCommit(tx, "resume campaign on Instantly", async () => {
      await sendEvent(
        push?.activated
          ? { name: "integrations/instantly-mirror.requested", data: { workspaceId, campaignId: campaign.id, accountId, action: "resume" } }
          : {
              name: "integrations/instantly-push.requested",
              data: { ...data, accountId, contentHash, approvalId },
              id: `instantly-push-${campaign.id}-${approvalId}-${randomUUID()}`,
            },
      );
    });
    return { campaignId: campaign.id, status: "running" };
  }
  afterCommit(tx, "resume campaign", async () => {
    const resumeId = randomUUID();
    await sendEvent([
      { name: "campaigns/resume.requested", data, id: `resume-${campaign.id}-${resumeId}` },
      // A launch that had not enrolled everyone (paused by it, or meanwhile) goes on: leads
      // already enrolled are skipped, the others enrolled.
      ...(campaign.launchedAt && !campaign.enrolledAt
        ? [{ name: "campaigns/launch.requested" as const, data, id: `launch-${campaign.id}-${campaign.approvalId}-${resumeId}` }]
        : []),
    ]);
  });
  return { campaignId: campaign.id, status: "running" };
}
