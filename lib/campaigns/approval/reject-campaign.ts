import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { campaignApprovals, campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import type { CampaignDecision } from "./approve-campaign";
import { notifyAuthorOfDecision } from "./notify-author";
import { lockCampaignForDecision, type ApprovalActor } from "./lock-for-decision";
import { ZRejectCampaign, type RejectCampaignInput } from "./schemas";

/**
 * An admin sends a submitted campaign back to its author with a comment saying what must
 * change: the campaign returns to draft, and the decision is kept (with the content it was
 * about) beside the approvals. The campaign's last approval, if any, stays what it was.
 */
export async function rejectCampaign(tx: Database, actor: ApprovalActor, input: RejectCampaignInput): Promise<CampaignDecision> {
  // Scripts and tests call this without the action's parsing: a blank comment is refused here too.
  const parsed = ZRejectCampaign.safeParse(input);
  if (!parsed.success) {
    const comment = parsed.error.issues.find((issue) => issue.path[0] === "comment")?.message;
    throw new AppError(
      "invalid_input",
      comment ?? "Open the campaign's review again before deciding.",
      comment ? { comment: [comment] } : {},
    );
  }
  const decided = await lockCampaignForDecision(tx, actor, parsed.data);
  const { campaign, content, hash } = decided;
  const [rejection] = await tx
    .insert(campaignApprovals)
    .values({
      workspaceId: campaign.workspaceId,
      campaignId: campaign.id,
      decision: "rejected",
      contentHash: hash,
      content,
      comment: parsed.data.comment,
      decidedBy: actor.userId,
    })
    .returning({ id: campaignApprovals.id });
  await tx
    .update(campaigns)
    .set({ status: "draft" })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.workspaceId, campaign.workspaceId)));
  await recordAudit(tx, {
    workspaceId: campaign.workspaceId,
    actorId: actor.userId,
    action: "campaign.rejected",
    targetType: "campaign",
    targetId: campaign.id,
    metadata: { name: campaign.name, approvalId: rejection!.id, contentHash: hash, comment: parsed.data.comment },
  });
  await notifyAuthorOfDecision(tx, decided, { actorId: actor.userId, kind: "campaign_rejected", comment: parsed.data.comment });
  return { campaignId: campaign.id, approvalId: rejection!.id, status: "draft" };
}
