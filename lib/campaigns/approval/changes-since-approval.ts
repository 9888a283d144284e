import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaignApprovals, campaigns, profiles } from "@/db/schema";
import { campaignContent, type CampaignContent } from "@/lib/campaigns/content-hash";
import { describeContentChanges } from "./describe-changes";

export type ChangesSinceApproval = {
  approvedAt: Date;
  approvedByName: string | null;
  /** In words, in the order of the content; empty while the campaign is what was approved. */
  changes: string[];
};

/**
 * What changed in a campaign since its last approval (the campaign page shows it, most of all
 * when a change sent an approved campaign back to draft). Null when it was never approved.
 */
export async function findChangesSinceApproval(
  tx: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<ChangesSinceApproval | null> {
  const [approval] = await tx
    .select({
      content: campaignApprovals.content,
      approvedAt: campaignApprovals.decidedAt,
      approvedByName: sql<string | null>`coalesce(${profiles.fullName}, ${profiles.email})`,
    })
    .from(campaigns)
    .innerJoin(
      campaignApprovals,
      and(eq(campaignApprovals.id, campaigns.approvalId), eq(campaignApprovals.workspaceId, campaigns.workspaceId)),
    )
    .leftJoin(profiles, eq(profiles.id, campaignApprovals.decidedBy))
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)));
  if (!approval) return null;
  const current = await campaignContent(tx, campaignId);
  if (!current) return null;
  return {
    approvedAt: approval.approvedAt,
    approvedByName: approval.approvedByName,
    changes: describeContentChanges(approval.content as CampaignContent, current.content),
  };
}
