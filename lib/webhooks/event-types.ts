/**
 * The events an admin may subscribe a webhook endpoint to (Settings → Webhooks), free of drizzle so
 * the page can import them. Each is recorded by a trigger in the transaction of the change that
 * causes it (migration 0059), only for workspaces with an enabled endpoint subscribed to it;
 * Instantly's replies and bounces, which write no email of ours, are recorded by the code that
 * reflects them on our leads, in the same transaction (lib/webhooks/record-event.ts).
 */
export const WEBHOOK_EVENT_TYPES = [
  "lead.created",
  "lead.updated",
  "lead.status_changed",
  "lead.unsubscribed",
  "import.completed",
  "campaign.approved",
  "email.sent",
  "email.replied",
  "email.bounced",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  "lead.created": "A lead is created (by hand, an import, a sync or the API)",
  "lead.updated": "A lead's fields change (status changes have their own event)",
  "lead.status_changed": "A lead's status changes",
  "lead.unsubscribed": "A lead unsubscribes",
  "import.completed": "A CSV import completes",
  "campaign.approved": "An admin approves a campaign",
  "email.sent": "A campaign email is sent",
  "email.replied": "A lead replies to a campaign email (sent here or through Instantly)",
  "email.bounced": "A campaign email bounces (sent here or through Instantly)",
};

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
