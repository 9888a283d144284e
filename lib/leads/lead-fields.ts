/**
 * The lead fields a person edits, shared by the edit form, the update service and the timeline.
 * Pure and free of database imports, so client components can use it without weight.
 */
import type { LeadStatus } from "@/db/schema/leads";

export type FieldValue = string | number | null;

/** The lead's columns a person edits in the form, in the order the form shows them. */
export const EDITABLE_LEAD_FIELDS = [
  "firstName",
  "lastName",
  "email",
  "title",
  "seniority",
  "department",
  "phone",
  "linkedinUrl",
  "city",
  "country",
  "timeZone",
  "score",
] as const;
export type EditableLeadField = (typeof EDITABLE_LEAD_FIELDS)[number];

export const LEAD_FIELD_LABELS: Record<EditableLeadField, string> = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  title: "Title",
  seniority: "Seniority",
  department: "Department",
  phone: "Phone",
  linkedinUrl: "LinkedIn URL",
  city: "City",
  country: "Country",
  timeZone: "Time zone",
  score: "Score",
};

/** Status names as people read them, in pipeline order (the order of the status menu). */
export const LEAD_STATUS_LABELS: Record<LeadStatus, string> = {
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

/** How a lead is named in headings, links and messages: the name, else the email or LinkedIn slug. */
export function leadDisplayName(lead: {
  firstName: string | null;
  lastName: string | null;
  email?: string | null;
  linkedinUrl?: string | null;
}): string {
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(" ").trim();
  if (name) return name;
  if (lead.email) return lead.email;
  if (lead.linkedinUrl) return lead.linkedinUrl.replace(/^https:\/\/www\.linkedin\.com\/in\//, "");
  return "Unnamed lead";
}
