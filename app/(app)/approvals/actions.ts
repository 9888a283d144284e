"use server";
import { defineAction } from "@/app/_server/action";
import { approveCampaign } from "@/lib/campaigns/approval/approve-campaign";
import { rejectCampaign } from "@/lib/campaigns/approval/reject-campaign";
import { ZApproveCampaign, ZRejectCampaign } from "@/lib/campaigns/approval/schemas";

/** An admin's decision on a submitted campaign (lib/campaigns/approval), for exactly the content reviewed. */

const common = { auth: "campaigns.approve" as const, revalidate: ["/approvals", "/campaigns"] };

export const approveCampaignAction = defineAction({
  ...common,
  name: "approveCampaignAction",
  schema: ZApproveCampaign,
  handler: ({ session, tx }, input) => approveCampaign(tx, session, input),
});

export const rejectCampaignAction = defineAction({
  ...common,
  name: "rejectCampaignAction",
  schema: ZRejectCampaign,
  handler: ({ session, tx }, input) => rejectCampaign(tx, session, input),
});
