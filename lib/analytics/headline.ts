import { ANALYTICS_STAGES, type StageCounts } from "./stages";

/**
 * The analytics page's headline: every stage summed over the funnel's rows, and the rates the
 * page shows (a share of the emails sent, null when none was sent). Browser-safe: the page and
 * the REST API compute it here.
 */
export type Headline = StageCounts & { replyRate: number | null; bounceRate: number | null; complaintRate: number | null };

export function headlineOf(rows: readonly StageCounts[]): Headline {
  const totals = Object.fromEntries(ANALYTICS_STAGES.map((s) => [s, rows.reduce((n, r) => n + r[s], 0)])) as StageCounts;
  const share = (n: number) => (totals.sent > 0 ? n / totals.sent : null);
  return {
    ...totals,
    replyRate: share(totals.replied),
    bounceRate: share(totals.bounced),
    complaintRate: share(totals.complained),
  };
}
