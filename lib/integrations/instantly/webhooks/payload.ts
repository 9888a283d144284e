import { z } from "zod";

/**
 * An Instantly webhook delivery (vendors/instantly-resend.md §1.10): flat JSON, no envelope,
 * always `timestamp` and `event_type`, then what the event concerns (`lead_email`, `email_id`,
 * the reply's subject and text…) and the lead's own fields merged in. Loose: everything is
 * kept as received; only what we act on is checked. The delivered type can differ from the
 * subscribed name (`link_clicked`, `auto_reply_received`, a custom label's text).
 */
const text = (max: number) => z.string().max(max).nullish();

export const ZInstantlyWebhookEvent = z.looseObject({
  event_type: z.string({ message: "event_type is required" }).min(1, "event_type is required").max(200),
  timestamp: z
    .string({ message: "timestamp is required" })
    .max(100)
    .refine((t) => !Number.isNaN(Date.parse(t)), "timestamp must be an ISO date"),
  workspace: text(200),
  campaign_id: text(200),
  campaign_name: text(500),
  lead_email: z.string().max(320).nullish(),
  email_account: text(320),
  email_id: text(200),
  reply_subject: text(2000),
  reply_text_snippet: text(5000),
  is_first: z.boolean().nullish(),
});
export type InstantlyWebhookEvent = z.infer<typeof ZInstantlyWebhookEvent>;

/** What is stored for a delivery: the workspace it was addressed to, and the event as received. */
export const ZInstantlyWebhookReceipt = z.object({ workspaceId: z.uuid(), event: ZInstantlyWebhookEvent });
