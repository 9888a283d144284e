import { z } from "zod";
import { LEAD_STATUSES } from "@/db/schema/leads";
import { COMPANY_FIELD_SCHEMAS } from "@/lib/companies/schemas";
import { ZTag } from "./bulk/schemas";
import { uniqueTags } from "./bulk/tag-rule";
import { isIanaTimeZone, LEAD_TEXT_LIMITS as L } from "./field-limits";
import { normalizeEmail, normalizeLinkedInUrl } from "./normalize";

export { isIanaTimeZone };

/**
 * The lead forms' schemas (create, edit, status, owner, note), used by the actions to parse
 * and by the services' callers in tests. Every message names the field's problem in words the
 * person can act on; blank optional fields become null.
 */

/** A form's optional text: trimmed, blank is null, bounded. */
const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long: use at most ${max} characters.`)
    .nullish()
    .transform((v) => (v ? v : null));

const ZLeadEmail = z
  .string()
  .max(L.email, "That email address is too long.")
  .nullish()
  .transform((v) => normalizeEmail(v))
  .pipe(z.email("Enter a valid email address, like name@company.com.").nullable());

const ZLinkedInUrl = z
  .string()
  .max(L.linkedinUrl, "That LinkedIn URL is too long.")
  .nullish()
  .transform((v, ctx) => {
    if (!v?.trim()) return null;
    const url = normalizeLinkedInUrl(v);
    if (!url) {
      ctx.addIssue({ code: "custom", message: "Enter a LinkedIn profile URL, like https://www.linkedin.com/in/name." });
      return z.NEVER;
    }
    return url;
  });

const ZTimeZone = z
  .string()
  .trim()
  .max(L.timeZone, "Choose a time zone from the list, like Europe/Paris.")
  .nullish()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isIanaTimeZone(v), "Choose a time zone from the list, like Europe/Paris or America/New_York.");

/** A score typed into a form arrives as text; blank keeps the default of 0. */
const ZScore = z
  .union([z.number(), z.string().trim()])
  .nullish()
  .transform((v) => (v === "" || v === null || v === undefined ? 0 : Number(v)))
  .pipe(
    z
      .number({ message: "Enter a score from 0 to 100." })
      .int("Enter a whole number from 0 to 100.")
      .min(0, "Enter a score from 0 to 100.")
      .max(100, "Enter a score from 0 to 100."),
  );

/** Tags as a form sends them ("vip, event-2026") or as a list: trimmed, blanks dropped, each once whatever its case. */
const ZTagList = z
  .union([z.string().max(3_000, "Too many tags: a lead has at most 50."), z.array(z.string())], {
    error: "Send the tags as a list of words, or as one comma-separated text.",
  })
  .nullish()
  .transform((v) => (Array.isArray(v) ? v : (v ?? "").split(",")).map((t) => t.trim()).filter(Boolean))
  .pipe(z.array(ZTag).max(50, "A lead has at most 50 tags."))
  .transform(uniqueTags);

/** Each field's schema, for the forms below and the REST API's lead bodies (lib/public-api/lead-schemas.ts). */
export const LEAD_FIELD_SCHEMAS = {
  firstName: optionalText(L.firstName, "First name"),
  lastName: optionalText(L.lastName, "Last name"),
  email: ZLeadEmail,
  title: optionalText(L.title, "Title"),
  seniority: optionalText(L.seniority, "Seniority"),
  department: optionalText(L.department, "Department"),
  phone: optionalText(L.phone, "Phone"),
  linkedinUrl: ZLinkedInUrl,
  city: optionalText(L.city, "City"),
  country: optionalText(L.country, "Country"),
  timeZone: ZTimeZone,
  score: ZScore,
  tags: ZTagList,
};

/** A lead must be someone: the database refuses a row with no name, email or LinkedIn URL too. */
const hasIdentity = (v: { firstName: string | null; lastName: string | null; email: string | null; linkedinUrl: string | null }) =>
  !!(v.firstName || v.lastName || v.email || v.linkedinUrl);
const IDENTITY_MESSAGE = "Give the lead a name, an email address or a LinkedIn URL.";

export const ZLeadFields = z.object(LEAD_FIELD_SCHEMAS).refine(hasIdentity, { path: ["firstName"], message: IDENTITY_MESSAGE });
export type LeadFields = z.output<typeof ZLeadFields>;

/** The company a lead works at: one of the workspace's companies (the service checks which), or null for none; a form's blank is none. */
export const ZCompanyLink = z
  .string({ message: "Choose a company from the list, or clear the field for none." })
  .nullable()
  .transform((v) => v?.trim() || null)
  .pipe(z.uuid("Choose a company from the list, or clear the field for none.").nullable());

/** A company no company of the workspace has, to add with the lead (the company picker's "Add … as a new company"). */
const ZNewCompanyName = COMPANY_FIELD_SCHEMAS.name;

/** The New lead form: the fields, and the company chosen or named (left out: the one at the email's domain, if any). */
export const ZCreateLead = z
  .object({ ...LEAD_FIELD_SCHEMAS, companyId: ZCompanyLink.optional(), newCompanyName: ZNewCompanyName.optional() })
  .refine(hasIdentity, { path: ["firstName"], message: IDENTITY_MESSAGE });
export type CreateLeadInput = z.input<typeof ZCreateLead>;

const ZLeadId = z.uuid("That lead is not valid.");

/**
 * An edit: `version` is the lead's updated_at as the form loaded it (LeadRecord.version). A
 * field left out is unchanged; a blank one is cleared. Whether the edited lead is still someone
 * (hasLeadIdentity) depends on the fields not sent, so the service checks it.
 */
export const ZUpdateLead = z.object({
  leadId: ZLeadId,
  version: z.string().min(1, "Reload the page and edit again.").max(64),
  firstName: LEAD_FIELD_SCHEMAS.firstName.optional(),
  lastName: LEAD_FIELD_SCHEMAS.lastName.optional(),
  email: LEAD_FIELD_SCHEMAS.email.optional(),
  title: LEAD_FIELD_SCHEMAS.title.optional(),
  seniority: LEAD_FIELD_SCHEMAS.seniority.optional(),
  department: LEAD_FIELD_SCHEMAS.department.optional(),
  phone: LEAD_FIELD_SCHEMAS.phone.optional(),
  linkedinUrl: LEAD_FIELD_SCHEMAS.linkedinUrl.optional(),
  city: LEAD_FIELD_SCHEMAS.city.optional(),
  country: LEAD_FIELD_SCHEMAS.country.optional(),
  timeZone: LEAD_FIELD_SCHEMAS.timeZone.optional(),
  score: LEAD_FIELD_SCHEMAS.score.optional(),
  tags: LEAD_FIELD_SCHEMAS.tags.optional(),
  companyId: ZCompanyLink.optional(),
  /** Wins over companyId. */
  newCompanyName: ZNewCompanyName.optional(),
});
export type UpdateLeadInput = z.input<typeof ZUpdateLead>;
export type LeadFieldsPatch = Partial<LeadFields> & { companyId?: string | null; newCompanyName?: string };

export { hasIdentity as hasLeadIdentity, IDENTITY_MESSAGE as LEAD_IDENTITY_MESSAGE };

export const ZChangeStatus = z.object({
  leadId: ZLeadId,
  status: z.enum(LEAD_STATUSES, { message: "Choose a status from the list." }),
  /** The status the page showed: if someone changed it since, this change is refused rather than saved over theirs. */
  from: z.enum(LEAD_STATUSES).optional(),
});

export const ZChangeOwner = z.object({
  leadId: ZLeadId,
  /** A member's user id, or null to leave the lead unassigned. */
  ownerId: z.uuid("Choose a teammate from the list.").nullable(),
  /** The owner the page showed (null: unassigned): if someone changed it since, this change is refused. */
  from: z.uuid().nullable().optional(),
});

/** What was typed into the lead form's company picker (blank: the biggest companies). */
export const ZFindCompanyChoices = z.strictObject({
  q: z.string({ message: "Type part of a company's name or domain." }).trim().max(200, "Search with at most 200 characters."),
});

export const ZAddNote = z.object({
  leadId: ZLeadId,
  body: z.string().trim().min(1, "Write the note first.").max(5_000, "A note holds at most 5,000 characters."),
});
