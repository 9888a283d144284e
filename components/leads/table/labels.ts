import type { EmailStatus, LeadSource } from "@/db/schema/lead-enums";

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
