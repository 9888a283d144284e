import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaignApprovals, campaigns, profiles } from "@/db/schema";

export type LastRejection = { comment: string; decidedAt: Date; decidedByName: string | null };

/**
 * The admin's comment on a draft that was sent back: shown on the campaign page until the author
 * submits it again (a newer decision, or a submission after it, retires it).
 */
export async function findLastRejection(
  tx: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<LastRejection | null> {
  const [last] = await tx
    .select({
      decision: campaignApprovals.decision,
      comment: campaignApprovals.comment,
      decidedAt: campaignApprovals.decidedAt,
      decidedByName: sql<string | null>`coalesce(${profiles.fullName}, ${profiles.email})`,
      status: campaigns.status,
    })
    .from(campaignApprovals)
    .innerJoin(campaigns, and(eq(campaigns.id, campaignApprovals.campaignId), eq(campaigns.workspaceId, campaignApprovals.workspaceId)))
    .leftJoin(profiles, eq(profiles.id, campaignApprovals.decidedBy))
    .where(and(eq(campaignApprovals.campaignId, campaignId), eq(campaignApprovals.workspaceId, workspaceId)))
    .orderBy(desc(campaignApprovals.decidedAt), desc(campaignApprovals.id))
    .limit(1);
  if (!last || last.decision !== "rejected" || last.status !== "draft" || !last.comment) return null;
  return { comment: last.comment, decidedAt: last.decidedAt, decidedByName: last.decidedByName };
}
