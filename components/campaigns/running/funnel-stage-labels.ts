import { STAGE_COLORS } from "@/components/analytics/stage-colors";
import type { FunnelStage } from "@/lib/campaigns/stats/funnel-stages";

export const FUNNEL_STAGE_LABELS: Record<FunnelStage, string> = {
  sent: "Sent",
  delivered: "Delivered",
  opened: "Opened",
  clicked: "Clicked",
  replied: "Replied",
  bounced: "Bounced",
  unsubscribed: "Unsubscribed",
};

/** The Analytics page's colours (components/analytics/stage-colors.ts): a stage looks the same everywhere. */
export const FUNNEL_STAGE_COLORS: Record<FunnelStage, string> = {
  sent: STAGE_COLORS.sent,
  delivered: STAGE_COLORS.delivered,
  opened: STAGE_COLORS.opened,
  clicked: STAGE_COLORS.clicked,
  replied: STAGE_COLORS.replied,
  bounced: STAGE_COLORS.bounced,
  unsubscribed: STAGE_COLORS.unsubscribed,
};
