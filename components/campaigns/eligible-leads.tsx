import "server-only";
import { withUserTx, type JwtClaims } from "@/db";
import { resolveAudience } from "@/lib/campaigns/audience/resolve-audience";
import type { CampaignListRow } from "@/lib/campaigns/list-campaigns";

/**
 * A campaign's eligible leads as pre-flight counts them, in its own transaction: the list
 * streams each count in when it is ready (a large workspace takes seconds per audience) instead
 * of waiting for every campaign's count, one after another, before showing anything.
 */
export async function EligibleLeads({
  claims,
  workspaceId,
  viewerId,
  campaign,
}: {
  claims: JwtClaims;
  workspaceId: string;
  viewerId: string;
  campaign: CampaignListRow;
}) {
  const { audience } = campaign;
  if (!audience) return <>—</>;
  const { eligible } = await withUserTx(claims, (tx) =>
    resolveAudience(tx, { workspaceId, userId: campaign.ownerId ?? viewerId, audience, campaignId: campaign.id }),
  );
  return <>{eligible.toLocaleString("en")}</>;
}
