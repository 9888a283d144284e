import type { EmailStatus, LeadSource, LeadStatus } from "@/db/schema/leads";

export const STATUS_LABELS: Record<LeadStatus, string> = {
  new: "New",
  contacted: "Contacted",
  replied: "Replied",
  interested: "Interested",
  meeting: "Meeting",
  won: "Won",
  lost: "Lost",
  unsubscribed: "Unsubscribed",
  bounced: "Bounced",
};

export const SOURCE_LABELS: Record<LeadSource, string> = {
  manual: "Manual",
  csv: "CSV",
  apollo: "Apollo",
  phantombuster: "PhantomBuster",
  instantly: "Instantly",
};

export const EMAIL_STATUS_LABELS: Record<EmailStatus, string> = {
  unknown: "Unverified",
  valid: "Valid",
  risky: "Risky",
  invalid: "Invalid",
};
