/**
 * One colour per stage of an email's life, the same on the Analytics page and a campaign's
 * funnel: each told apart from its neighbours (a ramp of one hue was not, between sent,
 * delivered, opened and clicked), the problems in red and grey.
 */
export const STAGE_COLORS = {
  sent: "#2563eb",
  delivered: "#0891b2",
  opened: "#d97706",
  clicked: "#7c3aed",
  replied: "#059669",
  // Three greens (replied, interested, meeting) could not be told apart in the legend.
  interested: "#db2777",
  meeting: "#854d0e",
  bounced: "#dc2626",
  unsubscribed: "#71717a",
  complained: "#be123c",
} as const;
