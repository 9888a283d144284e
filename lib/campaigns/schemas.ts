import { z } from "zod";
import { CAMPAIGN_STATUSES } from "@/db/schema/campaign-enums";
import { MAX_AUDIENCE_IDS } from "./types";

/**
 * The inputs of the campaign actions other than the editor's autosave (ZCampaignDraft in
 * types.ts). Pure: the forms and the actions parse with the same schemas.
 */

const ZCampaignName = z.string().trim().min(1, "Give the campaign a name.").max(120, "Keep the name under 120 characters.");
const ZCampaignId = z.uuid("That campaign is not valid.");

/**
 * Where an audience comes from, as a person chooses it: the server turns it into the stored
 * rule (a saved view is copied as its query at that moment; a filter is the lead table's query).
 */
export const ZAudienceChoice = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("view"), viewId: z.uuid("That view is not valid.") }),
  z.object({ kind: z.literal("filter"), query: z.string().max(4_000) }),
  z.object({
    kind: z.literal("ids"),
    ids: z
      .array(z.uuid())
      .min(1, "Pick at least one lead.")
      .max(MAX_AUDIENCE_IDS, `Pick at most ${MAX_AUDIENCE_IDS.toLocaleString("en")} leads, or use a saved view.`),
  }),
]);
export type AudienceChoice = z.infer<typeof ZAudienceChoice>;

export const ZCreateCampaign = z.object({ name: ZCampaignName, audience: ZAudienceChoice.optional() });
export type CreateCampaignInput = z.infer<typeof ZCreateCampaign>;

export const ZDeleteCampaign = z.object({ campaignId: ZCampaignId });

/** The selected leads of the lead table, added to a draft's picked audience. */
export const ZAddLeadsToCampaign = z.object({
  campaignId: ZCampaignId,
  ids: ZAudienceChoice.options[2].shape.ids,
});

/** The list's filters, as its URL holds them. */
export const ZCampaignListFilters = z.object({
  status: z.array(z.enum(CAMPAIGN_STATUSES)).max(CAMPAIGN_STATUSES.length).default([]),
  owner: z.union([z.literal("me"), z.uuid()]).optional(),
});
export type CampaignListFilters = z.infer<typeof ZCampaignListFilters>;
