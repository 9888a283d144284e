import { z } from "zod";
import { VARIANT_LABELS } from "@/lib/campaigns/types";

/** Which email of a campaign to show or send as a test: any step and variant, for any lead of the audience. */
export const ZCampaignEmailChoice = z.object({
  campaignId: z.uuid(),
  stepId: z.uuid().optional(),
  variantLabel: z.enum(VARIANT_LABELS).optional(),
  leadId: z.uuid().optional(),
  identityId: z.uuid().optional(),
});
export type CampaignEmailChoice = z.infer<typeof ZCampaignEmailChoice>;

export const ZPreviewCampaignEmail = ZCampaignEmailChoice.extend({
  /** Narrows the lead picker (name, email, company or title). */
  search: z.string().trim().max(100).optional(),
});
export type PreviewCampaignEmailInput = z.infer<typeof ZPreviewCampaignEmail>;
