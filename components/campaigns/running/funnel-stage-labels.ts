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

/** One colour per stage, light to dark along the funnel; the problems in warm tones. */
export const FUNNEL_STAGE_COLORS: Record<FunnelStage, string> = {
  sent: "#a5b4fc",
  delivered: "#818cf8",
  opened: "#6366f1",
  clicked: "#4f46e5",
  replied: "#059669",
  bounced: "#dc2626",
  unsubscribed: "#d97706",
};
