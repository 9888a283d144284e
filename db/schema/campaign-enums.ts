/**
 * The campaigns' enum values, free of drizzle so browser code (the editor, filters, badges)
 * can import them: db/schema/campaigns.ts and friends build their pgEnums from these.
 */

/**
 * draft → pending_approval → approved → running ⇄ paused → completed | stopped. A rejection
 * returns the campaign to draft (the comment is on campaign_approvals); so does any change of
 * its content after submission or approval (triggers of migration 0023).
 */
export const CAMPAIGN_STATUSES = ["draft", "pending_approval", "approved", "running", "paused", "completed", "stopped"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Statuses whose content was approved: a content change returns them to draft. */
export const APPROVED_STATUSES = ["approved", "running", "paused"] as const satisfies readonly CampaignStatus[];

/**
 * Why a paused campaign is paused (campaigns.pause_cause): an admin's pause, the bounce breaker's
 * (a hard-bounce or complaint rate past the workspace's limit), or a launch or resume that could
 * not finish. paused_by alone cannot tell: it goes to null when the admin's account is deleted.
 */
export const PAUSE_CAUSES = ["manual", "bounce_breaker", "launch_held"] as const;
export type PauseCause = (typeof PAUSE_CAUSES)[number];

export const APPROVAL_DECISIONS = ["approved", "rejected"] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** One lead in one campaign (the sending issue extends the life cycle). */
export const ENROLLMENT_STATUSES = ["active", "completed", "stopped", "skipped"] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export const SUPPRESSION_KINDS = ["email", "domain"] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];
export const SUPPRESSION_REASONS = ["manual", "unsubscribe", "bounce", "complaint", "import"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** What a notification is about; each kind has its words and link in lib/notifications. */
export const NOTIFICATION_KINDS = [
  "campaign_submitted",
  "campaign_approved",
  "campaign_rejected",
  "lead_replied",
  "campaign_auto_paused",
  "campaign_approval_withdrawn",
  "webhook_endpoint_disabled",
  /** A pause, resume or stop could not be made on the Instantly campaign that sends a campaign of ours. */
  "instantly_mirror_failed",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * One email of one enrollment's step (email_messages): created queued with its rendered
 * content before the provider is called, `sending` while the call is in flight, then sent or
 * failed; skipped when a check at send time refused it (the reason is on the row).
 */
export const MESSAGE_STATUSES = ["queued", "sending", "sent", "failed", "skipped"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What the provider (Resend or the local outbox) reported about a message, and inbound replies. */
export const EMAIL_EVENT_TYPES = [
  "sent",
  "delivered",
  "delivery_delayed",
  "bounced",
  "complained",
  "opened",
  "clicked",
  "failed",
  "suppressed",
  "received",
  "unsubscribed",
] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

/**
 * Why an enrollment ended before its last step (campaign_enrollments.end_cause), in priority of
 * what the campaign page explains. `completed` enrollments have none.
 */
export const ENROLLMENT_END_CAUSES = [
  "replied",
  "unsubscribed",
  "bounced",
  "complained",
  "suppressed",
  "lead_deleted",
  "lead_status",
  "no_email",
  "render_failed",
  "provider_rejected",
  "campaign_stopped",
  /** Its mailbox was deleted or taken off the campaign, and the campaign has no other left to move it to. */
  "no_identity",
] as const;
export type EnrollmentEndCause = (typeof ENROLLMENT_END_CAUSES)[number];

export const BOUNCE_TYPES = ["hard", "soft"] as const;
export type BounceType = (typeof BOUNCE_TYPES)[number];
