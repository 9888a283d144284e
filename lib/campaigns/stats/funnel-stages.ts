/** The funnel's stages, in order (browser-safe: the chart and its table import them). */
export const FUNNEL_STAGES = ["sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed"] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** One step and A/B variant: how many emails were sent and how many of those reached each stage. */
export type FunnelRow = { stepPosition: number; variantLabel: string } & Record<FunnelStage, number>;
