import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import type { CampaignActor } from "./campaign-permissions";
import { lockCampaignForEdit } from "./lock-campaign";

/**
 * Deletes a draft with its steps, variants and identity links (cascade). Only drafts that never
 * ran: anything submitted, approved or sent keeps its record (RLS says the same).
 */
export async function deleteCampaign(
  tx: Executor,
  { workspaceId, actor, campaignId }: { workspaceId: string; actor: CampaignActor; campaignId: string },
): Promise<{ name: string }> {
  const campaign = await lockCampaignForEdit(tx, { workspaceId, actor, campaignId });
  if (campaign.status !== "draft" || campaign.launchedAt) {
    throw new AppError("conflict", "Only a draft can be deleted. This campaign has been submitted or approved, so its record stays.");
  }
  await tx.delete(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)));
  await recordAudit(tx, {
    workspaceId,
    actorId: actor.userId,
    action: "campaign.deleted",
    targetType: "campaign",
    targetId: campaignId,
    metadata: { name: campaign.name },
  });
  return { name: campaign.name };
}
