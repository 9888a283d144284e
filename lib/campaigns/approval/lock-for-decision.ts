import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { campaignContent, type CampaignContent } from "@/lib/campaigns/content-hash";
import { CAMPAIGN_STATUS_LABELS } from "@/lib/campaigns/types";
import { AppError, forbidden, notFound } from "@/lib/errors";

/** Who decides: a WorkspaceSession fits, and so does a script's or a test's plain object. */
export type ApprovalActor = { userId: string; current: { workspaceId: string; role: WorkspaceRole } };

export const CAMPAIGN_CHANGED = "This campaign changed — review it again.";

export type CampaignForDecision = {
  campaign: { id: string; workspaceId: string; name: string; ownerId: string | null; submittedBy: string | null };
  content: CampaignContent;
  hash: string;
};

/**
 * The submitted campaign an admin is deciding on, locked for the rest of the transaction, with
 * the content the decision covers. The lock holds off any concurrent edit of the campaign
 * (an edit of a step or identity touches this row through migration 0023's triggers), so the
 * content read here is the content recorded. Refused unless it is exactly what the admin
 * reviewed: a campaign that changed since the review screen opened needs a fresh look, even if
 * it was submitted again in between.
 */
export async function lockCampaignForDecision(
  tx: Executor,
  actor: ApprovalActor,
  { campaignId, reviewedHash }: { campaignId: string; reviewedHash: string },
): Promise<CampaignForDecision> {
  // The database refuses a non-admin too (RLS on campaign_approvals, the campaigns guard): this
  // says so in words before anything is tried.
  if (!can(actor.current.role, "campaigns.approve")) throw forbidden("Only an admin can approve or reject a campaign.");
  const workspaceId = actor.current.workspaceId;
  const [campaign] = await tx
    .select({
      id: campaigns.id,
      workspaceId: campaigns.workspaceId,
      name: campaigns.name,
      status: campaigns.status,
      ownerId: campaigns.ownerId,
      submittedBy: campaigns.submittedBy,
    })
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)))
    .for("update");
  if (!campaign) throw notFound("That campaign");
  const current = await campaignContent(tx, campaign.id);
  if (!current) throw notFound("That campaign");
  if (current.hash !== reviewedHash) throw new AppError("conflict", CAMPAIGN_CHANGED);
  if (campaign.status !== "pending_approval") {
    throw new AppError(
      "conflict",
      `This campaign is no longer waiting for approval: it is ${CAMPAIGN_STATUS_LABELS[campaign.status].toLowerCase()} now.`,
    );
  }
  const { status: _status, ...rest } = campaign;
  return { campaign: rest, ...current };
}
