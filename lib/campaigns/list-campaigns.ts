import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns, campaignSteps, profiles } from "@/db/schema";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import type { CampaignListFilters } from "./schemas";
import type { StoredAudience } from "./types";

export type CampaignListRow = {
  id: string;
  name: string;
  status: CampaignStatus;
  ownerId: string | null;
  ownerName: string | null;
  audience: StoredAudience | null;
  steps: number;
  updatedAt: string;
};

/** A workspace has tens of campaigns, not thousands: the list shows the latest this many. */
export const CAMPAIGN_LIST_LIMIT = 200;

/** The workspace's campaigns, most recently changed first, filtered by status and owner. */
export async function listCampaigns(
  tx: Executor,
  { workspaceId, userId, filters }: { workspaceId: string; userId: string; filters: CampaignListFilters },
): Promise<CampaignListRow[]> {
  const ownerId = filters.owner === "me" ? userId : filters.owner;
  const rows = await tx
    .select({
      id: campaigns.id,
      name: campaigns.name,
      status: campaigns.status,
      ownerId: campaigns.ownerId,
      ownerName: sql<string | null>`coalesce(${profiles.fullName}, ${profiles.email})`,
      audience: campaigns.audience,
      steps: sql<number>`(select count(*)::int from ${campaignSteps} s where s.campaign_id = ${campaigns.id})`,
      updatedAt: campaigns.updatedAt,
    })
    .from(campaigns)
    .leftJoin(profiles, eq(profiles.id, campaigns.ownerId))
    .where(
      and(
        eq(campaigns.workspaceId, workspaceId),
        filters.status.length > 0 ? inArray(campaigns.status, filters.status) : undefined,
        ownerId ? eq(campaigns.ownerId, ownerId) : undefined,
      ),
    )
    .orderBy(desc(campaigns.updatedAt), desc(campaigns.id))
    .limit(CAMPAIGN_LIST_LIMIT);
  return rows.map((r) => ({ ...r, audience: (r.audience as StoredAudience | null) ?? null, updatedAt: r.updatedAt.toISOString() }));
}

/** Where the lead table's "Add to campaign" may put picked leads: the actor's drafts of picked leads (or none yet). */
export async function listCampaignTargets(
  tx: Executor,
  { workspaceId, userId }: { workspaceId: string; userId: string },
): Promise<{ id: string; name: string }[]> {
  return tx
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.workspaceId, workspaceId),
        eq(campaigns.ownerId, userId),
        eq(campaigns.status, "draft"),
        sql`(${campaigns.audience} is null or ${campaigns.audience}->>'kind' = 'ids')`,
      ),
    )
    .orderBy(desc(campaigns.updatedAt))
    .limit(50);
}
