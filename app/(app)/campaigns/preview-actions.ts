"use server";
import { defineAction } from "@/app/_server/action";
import { previewCampaignEmail } from "@/lib/campaigns/templates/preview-campaign-email";
import { ZCampaignEmailChoice, ZPreviewCampaignEmail } from "@/lib/campaigns/templates/schemas";
import { sendCampaignTestEmail } from "@/lib/campaigns/templates/send-campaign-test-email";

/** The campaign email preview (editor and review screen) and "send a test to me" (lib/campaigns/templates). */

export const previewCampaignEmailAction = defineAction({
  name: "previewCampaignEmailAction",
  auth: "campaigns.draft",
  schema: ZPreviewCampaignEmail,
  handler: ({ session, tx }, input) => previewCampaignEmail(tx, session, input),
});

export const sendCampaignTestEmailAction = defineAction({
  name: "sendCampaignTestEmailAction",
  auth: "campaigns.draft",
  schema: ZCampaignEmailChoice,
  handler: ({ session, tx }, input) => sendCampaignTestEmail(tx, session, input),
});
