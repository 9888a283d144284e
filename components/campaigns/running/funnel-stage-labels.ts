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
