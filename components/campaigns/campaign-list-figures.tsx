import "server-only";
import { withUserTx, type JwtClaims } from "@/db";
import { rateOf } from "@/lib/analytics/stages";
import { resolveAudience } from "@/lib/campaigns/audience/resolve-audience";
import type { CampaignListRow } from "@/lib/campaigns/list-campaigns";
import type { CampaignStats } from "@/lib/campaigns/stats/campaign-stats";

/**
 * The campaigns list's figures. Every cell awaits the same read of the listed campaigns' stats
 * (getCampaignStats: two grouped queries for the whole list), and a campaign never launched
 * counts its eligible leads in a transaction of its own (a large workspace takes seconds per
 * audience): the list shows at once, and each figure streams in when it is ready.
 */
export type ListedCampaignStats = Promise<Map<string, CampaignStats>>;

const count = (n: number) => n.toLocaleString("en");

/**
 * A campaign's leads: those enrolled once it has any (it launched, even if edited back to draft
 * since), else those its audience would enroll now, as pre-flight counts them.
 */
export async function CampaignLeadsCell({
  stats,
  claims,
  workspaceId,
  viewerId,
  campaign,
}: {
  stats: ListedCampaignStats;
  claims: JwtClaims;
  workspaceId: string;
  viewerId: string;
  campaign: CampaignListRow;
}) {
  const enrolled = (await stats).get(campaign.id)?.enrollments.total ?? 0;
  if (enrolled > 0) return <Figure value={count(enrolled)} unit="enrolled" />;
  const { audience } = campaign;
  if (!audience) return <>—</>;
  const { eligible } = await withUserTx(claims, (tx) =>
    resolveAudience(tx, { workspaceId, userId: campaign.ownerId ?? viewerId, audience, campaignId: campaign.id }),
  );
  return <Figure value={count(eligible)} unit="eligible" />;
}

/** The emails sent, and how many of those were replied to or bounced, with their share of those sent. */
export async function CampaignOutcomeCell({
  stats,
  campaignId,
  stage,
}: {
  stats: ListedCampaignStats;
  campaignId: string;
  stage: "sent" | "replied" | "bounced";
}) {
  const emails = (await stats).get(campaignId)?.emails;
  if (!emails || emails.sent === 0) return <>—</>;
  if (stage === "sent") return <>{count(emails.sent)}</>;
  return <Figure value={count(emails[stage])} unit={rateOf(emails[stage], emails.sent)} />;
}

function Figure({ value, unit }: { value: string; unit: string }) {
  return (
    <>
      {value} <span className="whitespace-nowrap text-xs text-zinc-500">{unit}</span>
    </>
  );
}
