import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns, profiles } from "@/db/schema";
import { forbidden, notFound } from "@/lib/errors";
import { isoMicros } from "@/lib/db-values/iso-micros";
import { canEditCampaign, type CampaignActor } from "./campaign-permissions";

export type LockedCampaign = typeof campaigns.$inferSelect & { version: string };

export const CAMPAIGN_NOT_FOUND = "That campaign";

/**
 * The campaign, locked for the rest of the transaction, once the actor may edit it: "read,
 * compare the version, write" is then one step (a concurrent save waits, then sees this one's
 * version). Under RLS a campaign the actor may not write is invisible to FOR UPDATE, so a miss is
 * told apart: another workspace's campaign is not found, a teammate's is refused, naming its owner.
 */
export async function lockCampaignForEdit(
  tx: Executor,
  { workspaceId, actor, campaignId }: { workspaceId: string; actor: CampaignActor; campaignId: string },
): Promise<LockedCampaign> {
  const [locked] = await tx
    .select({ campaign: campaigns, version: isoMicros(campaigns.updatedAt) })
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)))
    .for("update");
  if (locked && canEditCampaign(actor.role, actor.userId, locked.campaign.ownerId)) return { ...locked.campaign, version: locked.version };
  const [visible] = await tx
    .select({ ownerName: profiles.fullName, ownerEmail: profiles.email })
    .from(campaigns)
    .leftJoin(profiles, eq(profiles.id, campaigns.ownerId))
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)));
  if (!visible) throw notFound(CAMPAIGN_NOT_FOUND);
  if (actor.role === "viewer" || actor.role === "analyst") throw forbidden("Your role can read campaigns but not change them.");
  const owner = visible.ownerName || visible.ownerEmail || "another teammate";
  throw forbidden(`This campaign belongs to ${owner}: only its author, a manager or an admin can change it.`);
}
