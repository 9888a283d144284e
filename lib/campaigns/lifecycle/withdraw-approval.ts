import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyAuthorOfDecision } from "@/lib/campaigns/approval/notify-author";
import { AppError } from "@/lib/errors";
import { lockCampaignForLifecycle, type LifecycleActor } from "./lock-for-lifecycle";

/**
 * An admin takes back the approval of a campaign that was approved but never launched: it
 * returns to draft with no approval on record (the decision stays in its history), so nobody
 * launches it as it stands; its author can change it and submit it again, or delete it. Nothing
 * was sent, so nothing else changes. A campaign launched before has enrollments: it is stopped
 * instead, which ends them. Its author (and whoever submitted it) is told, as of the approval:
 * otherwise they would find it in draft with no word why.
 */
export async function withdrawCampaignApproval(
  tx: Executor,
  actor: LifecycleActor,
  { campaignId }: { campaignId: string },
): Promise<{ campaignId: string; status: "draft" }> {
  const campaign = await lockCampaignForLifecycle(tx, actor, campaignId, "withdraw the approval of");
  if (campaign.status === "running" || campaign.status === "paused")
    throw new AppError("conflict", "This campaign is already launched: pause it or stop it instead.");
  if (campaign.status !== "approved") throw new AppError("conflict", "Only an approved campaign's approval can be withdrawn.");
  if (campaign.launchedAt)
    throw new AppError("conflict", "This campaign was launched before: stop it instead, which also ends its leads' sequences.");
  await tx
    .update(campaigns)
    .set({ status: "draft", approvalId: null, approvedContentHash: null, approvedAt: null, approvedBy: null })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.workspaceId, campaign.workspaceId)));
  await recordAudit(tx, {
    workspaceId: campaign.workspaceId,
    actorId: actor.userId,
    action: "campaign.approval_withdrawn",
    targetType: "campaign",
    targetId: campaign.id,
    metadata: { name: campaign.name, approvalId: campaign.approvalId, contentHash: campaign.approvedContentHash },
  });
  await notifyAuthorOfDecision(tx as Database, { campaign }, { actorId: actor.userId, kind: "campaign_approval_withdrawn" });
  return { campaignId: campaign.id, status: "draft" };
}
