/** The outreach funnel's stages as the analytics rollup counts them (browser-safe). */
export const ANALYTICS_STAGES = [
  "sent",
  "delivered",
  "opened",
  "clicked",
  "replied",
  "interested",
  "meeting",
  "bounced",
  "unsubscribed",
  "complained",
] as const;
export type AnalyticsStage = (typeof ANALYTICS_STAGES)[number];
export type StageCounts = Record<AnalyticsStage, number>;

export const STAGE_LABELS: Record<AnalyticsStage, string> = {
  sent: "Sent",
  delivered: "Delivered",
  opened: "Opened",
  clicked: "Clicked",
  replied: "Replied",
  interested: "Interested",
  meeting: "Meeting",
  bounced: "Bounced",
  unsubscribed: "Unsubscribed",
  complained: "Complained",
};

/** A stage's share of the emails sent, as a percentage with one decimal ("–" when nothing was sent). */
export function rateOf(count: number, sent: number): string {
  return sent > 0 ? `${((count / sent) * 100).toFixed(1)} %` : "–";
}
