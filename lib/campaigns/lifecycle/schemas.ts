import { z } from "zod";

/** The forms' and actions' inputs for launching, pausing, resuming and stopping a campaign. */
export const MAX_PAUSE_REASON = 500;

export const ZCampaignLifecycleInput = z.object({ campaignId: z.uuid() });
export type CampaignLifecycleInput = z.infer<typeof ZCampaignLifecycleInput>;

/** A launch, and how the campaign is delivered: our own sending (Resend) unless the admin chose Instantly. */
export const ZLaunchCampaignInput = z.object({
  campaignId: z.uuid(),
  deliverThrough: z.enum(["resend", "instantly"], { error: "Choose how to send it: through Resend or through Instantly." }).optional(),
});
export type LaunchCampaignInput = z.infer<typeof ZLaunchCampaignInput>;

export const ZPauseCampaignInput = z.object({
  campaignId: z.uuid(),
  reason: z
    .string()
    .trim()
    .min(1, "Say why it is paused: the team reads it on the campaign page.")
    .max(MAX_PAUSE_REASON, `Keep the reason under ${MAX_PAUSE_REASON} characters.`),
});
export type PauseCampaignInput = z.infer<typeof ZPauseCampaignInput>;
