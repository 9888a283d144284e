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

/** Apollo's seniority codes (person_seniorities, and `seniority` on a person) that plain capitals would misspell. */
const SENIORITY_LABELS: Record<string, string> = { c_suite: "C-suite", vp: "VP" };

/**
 * A seniority or department as stored, shown to people: a vendor's code (`c_suite`, `vp`,
 * `engineering_technical`) in words; anything a person typed, as typed.
 */
export function codedValueLabel(value: string | null): string | null {
  if (value === null || !/^[a-z]+(_[a-z]+)*$/.test(value)) return value;
  const label = SENIORITY_LABELS[value] ?? value.replaceAll("_", " ");
  return label.charAt(0).toUpperCase() + label.slice(1);
}
