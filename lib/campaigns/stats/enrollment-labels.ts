import type { EnrollmentEndCause, EnrollmentStatus, MessageStatus } from "@/db/schema/campaign-enums";

/** Words for an enrollment's state on the campaign page (browser-safe: the table renders them). */
export const ENROLLMENT_STATUS_LABELS: Record<EnrollmentStatus, string> = {
  active: "In sequence",
  completed: "Completed",
  stopped: "Stopped",
  skipped: "Skipped",
};

/** Why an enrollment ended early, as a rep would say it; the enrollment's own words follow. */
export const END_CAUSE_LABELS: Record<EnrollmentEndCause, string> = {
  replied: "Replied",
  unsubscribed: "Unsubscribed",
  bounced: "Bounced",
  complained: "Marked as spam",
  suppressed: "On the suppression list",
  lead_deleted: "Lead deleted",
  lead_status: "Lead's status changed",
  no_email: "No email address",
  render_failed: "Email could not be rendered",
  provider_rejected: "Rejected by the provider",
  campaign_stopped: "Campaign stopped",
  no_identity: "No mailbox left to send from",
};

export const MESSAGE_STATUS_LABELS: Record<MessageStatus, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  skipped: "Skipped",
};

/** "Bounced — mailbox does not exist": the cause, then the recorded words when they add something. */
export function describeEndReason(cause: EnrollmentEndCause | null, reason: string | null): string | null {
  const label = cause ? END_CAUSE_LABELS[cause] : null;
  const words = reason?.trim() || null;
  if (!label) return words;
  if (!words || words.toLowerCase() === label.toLowerCase()) return label;
  return `${label} — ${words}`;
}
