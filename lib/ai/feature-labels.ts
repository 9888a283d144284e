import type { AiFeature } from "./settings-schema";

/** What each feature is called on screen (the usage page, its chart and the estimate). */
export const AI_FEATURE_LABELS: Record<AiFeature, string> = {
  enrichment: "Enrichment (icebreakers, summaries, fit scores)",
  reply_classification: "Reply reading",
};
