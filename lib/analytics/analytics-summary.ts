import "server-only";
import type { Executor } from "@/db";
import { queryFunnel, type AnalyticsQuery, type FunnelRow } from "./message-queries";
import type { AnalyticsRange } from "./range";
import { pickWinningVariant, type VariantVerdict } from "./significance";
import { headlineOf, type Headline } from "./headline";
import { ANALYTICS_STAGES, type StageCounts } from "./stages";

export type CampaignFunnel = {
  campaignId: string;
  campaignName: string;
  totals: StageCounts;
  steps: {
    stepPosition: number;
    verdict: VariantVerdict;
    variants: ({ variantLabel: string } & StageCounts)[];
  }[];
};

export type AnalyticsSummary = {
  range: Omit<AnalyticsRange, "start" | "end" | "notices">;
  notices: string[];
  headline: Headline;
  campaigns: CampaignFunnel[];
};

const pick = (row: StageCounts): StageCounts => Object.fromEntries(ANALYTICS_STAGES.map((s) => [s, row[s]])) as StageCounts;

/**
 * The analytics page's headline figures and its funnel per campaign, step and A/B variant (with
 * the same winner test), for a range already corrected by resolveAnalyticsRange. One read of the
 * rollups, in the caller's transaction (RLS: only the roles with analytics.read see any row).
 */
export async function getAnalyticsSummary(tx: Executor, q: AnalyticsQuery): Promise<AnalyticsSummary> {
  const funnel = await queryFunnel(tx, q);
  const byCampaign = new Map<string, FunnelRow[]>();
  for (const row of funnel) byCampaign.set(row.campaignId, [...(byCampaign.get(row.campaignId) ?? []), row]);
  const campaigns: CampaignFunnel[] = [...byCampaign.values()].map((rows) => {
    const positions = [...new Set(rows.map((r) => r.stepPosition))].sort((a, b) => a - b);
    return {
      campaignId: rows[0]!.campaignId,
      campaignName: rows[0]!.campaignName,
      totals: pick(headlineOf(rows)),
      steps: positions.map((stepPosition) => {
        const variants = rows.filter((r) => r.stepPosition === stepPosition);
        return {
          stepPosition,
          verdict: pickWinningVariant(variants.map((v) => ({ label: v.variantLabel, sent: v.sent, replied: v.replied }))),
          variants: variants.map((v) => ({ variantLabel: v.variantLabel, ...pick(v) })),
        };
      }),
    };
  });
  const { start: _start, end: _end, notices, workspaceId: _ws, ...range } = q;
  return { range, notices, headline: headlineOf(funnel), campaigns };
}
