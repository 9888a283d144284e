import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { campaignApprovals, campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { blockingReasons, runPreflight } from "@/lib/campaigns/preflight/run-preflight";
import { AppError } from "@/lib/errors";
import { notifyAuthorOfDecision } from "./notify-author";
import { lockCampaignForDecision, type ApprovalActor } from "./lock-for-decision";
import type { ApproveCampaignInput } from "./schemas";

export type CampaignDecision = { campaignId: string; approvalId: string; status: "approved" | "draft" };

/**
 * An admin approves exactly the content they reviewed (DESIGN.md §7.1): the decision is
 * recorded with who, when, the content's hash and the content itself (what the campaign page
 * diffs against later), and the campaign carries that approval. The campaigns guard checks the
 * hash and the role again as it moves the status.
 *
 * Pre-flight runs again first, on the locked campaign: leads unsubscribed, bounced, suppressed or
 * deleted since submission, or an identity archived since, can leave nothing to send, and the
 * review panel says a blocking problem blocks approval. Such a campaign is refused with the
 * reasons and nothing is recorded; the admin rejects it so its author can fix it.
 */
export async function approveCampaign(tx: Database, actor: ApprovalActor, input: ApproveCampaignInput): Promise<CampaignDecision> {
  const decided = await lockCampaignForDecision(tx, actor, input);
  const { campaign, content, hash } = decided;
  // Pre-flight reads "my leads" in the audience as its owner's, and as `userId`'s only once the
  // owner has left: the admin's then, as on the review screen the admin just read, and as the
  // launch will read them (coalesce(owner_id, approved_by), approved_by being this admin).
  const report = await runPreflight(tx, { workspaceId: campaign.workspaceId, userId: actor.userId, campaignId: campaign.id });
  if (report.blocking.length > 0) {
    const reasons = blockingReasons(report);
    throw new AppError("invalid_input", `This campaign cannot be approved yet. ${reasons.join(" ")} Reject it so its author can fix it.`, {
      campaign: reasons,
    });
  }
  const [approval] = await tx
    .insert(campaignApprovals)
    .values({
      workspaceId: campaign.workspaceId,
      campaignId: campaign.id,
      decision: "approved",
      contentHash: hash,
      content,
      decidedBy: actor.userId,
    })
    .returning({ id: campaignApprovals.id });
  await tx
    .update(campaigns)
    .set({
      status: "approved",
      approvalId: approval!.id,
      approvedContentHash: hash,
      approvedBy: actor.userId,
      approvedAt: sql`now()` as unknown as Date,
    })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.workspaceId, campaign.workspaceId)));
  await recordAudit(tx, {
    workspaceId: campaign.workspaceId,
    actorId: actor.userId,
    action: "campaign.approved",
    targetType: "campaign",
    targetId: campaign.id,
    metadata: { name: campaign.name, approvalId: approval!.id, contentHash: hash },
  });
  await notifyAuthorOfDecision(tx, decided, { actorId: actor.userId, kind: "campaign_approved" });
  return { campaignId: campaign.id, approvalId: approval!.id, status: "approved" };
}
