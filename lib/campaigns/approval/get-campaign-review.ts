import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db";
import { campaignApprovals, campaigns, profiles } from "@/db/schema";
import type { ApprovalDecision, CampaignStatus } from "@/db/schema/campaign-enums";
import { campaignContent, type CampaignContent } from "@/lib/campaigns/content-hash";
import type { StoredAudience } from "@/lib/campaigns/types";

export type CampaignDecisionRecord = {
  id: string;
  decision: ApprovalDecision;
  comment: string | null;
  contentHash: string;
  decidedAt: Date;
  decidedByName: string | null;
};

export type CampaignReview = {
  campaign: {
    id: string;
    name: string;
    status: CampaignStatus;
    ownerId: string | null;
    ownerName: string | null;
    submittedByName: string | null;
    submittedAt: Date | null;
    submittedContentHash: string | null;
    audience: StoredAudience | null;
  };
  content: CampaignContent;
  /** The hash of `content`: what the approve and reject forms send back. */
  hash: string;
  /** Earlier decisions on this campaign, newest first (a rejection's comment, the last approval). */
  decisions: CampaignDecisionRecord[];
};

const owner = alias(profiles, "owner");
const submitter = alias(profiles, "submitter");
const decider = alias(profiles, "decider");

/**
 * Everything the review screen shows of one campaign: who submitted it and when, its content as
 * the database hashes it (the audience, steps and identities the admin reads are the content the
 * hash covers, read in the same statement), and the decisions taken on it before. Null when the
 * campaign is not in the workspace (or not visible to the member).
 */
export async function getCampaignReview(
  tx: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<CampaignReview | null> {
  const [campaign] = await tx
    .select({
      id: campaigns.id,
      name: campaigns.name,
      status: campaigns.status,
      ownerId: campaigns.ownerId,
      ownerName: sql<string | null>`coalesce(${owner.fullName}, ${owner.email})`,
      submittedByName: sql<string | null>`coalesce(${submitter.fullName}, ${submitter.email})`,
      submittedAt: campaigns.submittedAt,
      submittedContentHash: campaigns.submittedContentHash,
    })
    .from(campaigns)
    .leftJoin(owner, eq(owner.id, campaigns.ownerId))
    .leftJoin(submitter, eq(submitter.id, campaigns.submittedBy))
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)));
  if (!campaign) return null;
  const current = await campaignContent(tx, campaign.id);
  if (!current) return null;
  const decisions = await tx
    .select({
      id: campaignApprovals.id,
      decision: campaignApprovals.decision,
      comment: campaignApprovals.comment,
      contentHash: campaignApprovals.contentHash,
      decidedAt: campaignApprovals.decidedAt,
      decidedByName: sql<string | null>`coalesce(${decider.fullName}, ${decider.email})`,
    })
    .from(campaignApprovals)
    .leftJoin(decider, eq(decider.id, campaignApprovals.decidedBy))
    .where(and(eq(campaignApprovals.campaignId, campaign.id), eq(campaignApprovals.workspaceId, workspaceId)))
    .orderBy(desc(campaignApprovals.decidedAt), desc(campaignApprovals.id))
    .limit(20);
  // The audience shown (and rendered for the samples) is the one the hash covers: read with the
  // campaign row in a statement of its own, a change committed in between would show one
  // audience and approve another.
  return {
    campaign: { ...campaign, audience: current.content.audience as StoredAudience | null },
    content: current.content,
    hash: current.hash,
    decisions,
  };
}
