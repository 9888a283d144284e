import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { campaignContentHash } from "@/lib/campaigns/content-hash";
import { forbidden, notFound } from "@/lib/errors";

/** Who launches, pauses, resumes or stops: a WorkspaceSession's parts, or a test's plain object. */
export type LifecycleActor = { userId: string; workspaceId: string; role: WorkspaceRole };

export type LifecycleCampaign = Pick<
  typeof campaigns.$inferSelect,
  | "id"
  | "workspaceId"
  | "name"
  | "status"
  | "ownerId"
  | "submittedBy"
  | "approvalId"
  | "approvedContentHash"
  | "launchedAt"
  | "enrolledAt"
  | "pauseReason"
  | "delivery"
> & {
  /** The content's hash now: launch and resume refuse unless it is the approved one. */
  currentHash: string | null;
};

export const CAMPAIGN_CHANGED_SINCE_APPROVAL = "This campaign changed since it was approved: it needs approval again.";

/**
 * The campaign, locked for the rest of the transaction, once the actor may run it: admins only
 * (DESIGN.md §5; the campaigns guard of migration 0023 refuses anyone else again). The lock holds
 * off an edit, another life-cycle change, and a launch batch (which takes it FOR SHARE) until
 * this one commits.
 */
export async function lockCampaignForLifecycle(
  tx: Executor,
  actor: LifecycleActor,
  campaignId: string,
  verb: "launch" | "pause" | "resume" | "stop" | "withdraw the approval of",
): Promise<LifecycleCampaign> {
  if (!can(actor.role, "campaigns.run")) throw forbidden(`Only an admin can ${verb} a campaign.`);
  const [campaign] = await tx
    .select({
      id: campaigns.id,
      workspaceId: campaigns.workspaceId,
      name: campaigns.name,
      status: campaigns.status,
      ownerId: campaigns.ownerId,
      submittedBy: campaigns.submittedBy,
      approvalId: campaigns.approvalId,
      approvedContentHash: campaigns.approvedContentHash,
      launchedAt: campaigns.launchedAt,
      enrolledAt: campaigns.enrolledAt,
      pauseReason: campaigns.pauseReason,
      delivery: campaigns.delivery,
    })
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, actor.workspaceId)))
    .for("update");
  if (!campaign) throw notFound("That campaign");
  return { ...campaign, currentHash: await campaignContentHash(tx, campaign.id) };
}
