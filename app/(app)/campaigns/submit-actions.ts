"use server";
import { z } from "zod";
import { defineAction } from "@/app/_server/action";
import { submitCampaign } from "@/lib/campaigns/submit-campaign";

const ZSubmitCampaign = z.object({ campaignId: z.uuid() });

/** A rep sends their draft for approval; refused with pre-flight's reasons while any check blocks. */
export const submitCampaignAction = defineAction({
  name: "submitCampaignAction",
  schema: ZSubmitCampaign,
  auth: "campaigns.submit",
  handler: ({ session, tx }, { campaignId }) =>
    submitCampaign(tx, {
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      campaignId,
    }),
  revalidate: ["/campaigns", "/approvals"],
});
