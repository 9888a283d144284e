import { z } from "zod";

/**
 * What the review screen sends back: the campaign and the hash of the content the admin was
 * shown (lib/campaigns/content-hash.ts). A decision applies only to that exact content.
 */
const reviewed = {
  campaignId: z.uuid("That campaign is not valid."),
  reviewedHash: z.string().regex(/^[0-9a-f]{64}$/, "Open the campaign's review again before deciding."),
};

export const ZApproveCampaign = z.object(reviewed);
export type ApproveCampaignInput = z.infer<typeof ZApproveCampaign>;

export const MAX_REJECTION_COMMENT = 2_000;

export const ZRejectCampaign = z.object({
  ...reviewed,
  comment: z
    .string()
    .trim()
    .min(1, "Say what needs to change: the author reads this comment.")
    .max(MAX_REJECTION_COMMENT, `Keep the comment under ${MAX_REJECTION_COMMENT.toLocaleString("en")} characters.`),
});
export type RejectCampaignInput = z.infer<typeof ZRejectCampaign>;
