import { z } from "zod";
import { normalizeCompanyLinkedInUrl, normalizeDomain, normalizeWebsite } from "@/lib/leads/normalize";

/**
 * A company's editable fields, as the REST API takes them (lib/public-api/company-schemas.ts).
 * Blank optional text is null; the domain is stored normalised (lower-case host, no scheme,
 * `www.` or path), so "https://www.Acme.com/about" and "acme.com" are the same company; the
 * website and LinkedIn page as links that open them.
 */
const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long: use at most ${max} characters.`)
    .nullish()
    .transform((v) => (v ? v : null));

/** A link a person may open from the company page: stored normalised, or refused in words (never `javascript:`). */
const webAddress = (normalize: (raw: string) => string | null, message: string) =>
  z
    .string()
    .max(500, "That address is too long: use at most 500 characters.")
    .nullish()
    .transform((v, ctx) => {
      if (!v?.trim()) return null;
      const url = normalize(v);
      if (!url || url.length > 500) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return url;
    });

/** The largest value its column holds: employees in an integer, revenue in a bigint (JS-safe). */
const count = (label: string, max: number) =>
  z
    .number({ message: `${label} is a whole number.` })
    .int(`${label} is a whole number.`)
    .min(0, `${label} cannot be negative.`)
    .max(max, `${label} is too large: use at most ${max.toLocaleString("en-US")}.`)
    .nullish();
const MAX_EMPLOYEES = 2_147_483_647;

export const COMPANY_FIELD_SCHEMAS = {
  name: z.string().trim().min(1, "Give the company a name.").max(300, "Use at most 300 characters for the name."),
  domain: z
    .string()
    .max(300, "That domain is too long.")
    .nullish()
    .transform((v, ctx) => {
      if (!v?.trim()) return null;
      const domain = normalizeDomain(v);
      if (!domain) {
        ctx.addIssue({ code: "custom", message: "Enter a domain, like acme.com." });
        return z.NEVER;
      }
      return domain;
    }),
  website: webAddress(normalizeWebsite, "Enter the company's web address, like https://acme.com."),
  linkedinUrl: webAddress(normalizeCompanyLinkedInUrl, "Enter the company's LinkedIn page, like https://www.linkedin.com/company/acme."),
  industry: optionalText(200, "Industry"),
  employeeCount: count("Employee count", MAX_EMPLOYEES),
  annualRevenue: count("Annual revenue", Number.MAX_SAFE_INTEGER),
  country: optionalText(100, "Country"),
  city: optionalText(100, "City"),
  description: optionalText(5_000, "Description"),
};

export type CompanyFields = {
  name: string;
  domain: string | null;
  website: string | null;
  linkedinUrl: string | null;
  industry: string | null;
  employeeCount?: number | null;
  annualRevenue?: number | null;
  country: string | null;
  city: string | null;
  description: string | null;
};

/** A count as a form sends it: text, blank for none; spaces and thousands separators ("1,200") allowed. */
const countFromText = (label: string, max: number) =>
  z
    .union([z.number(), z.string().trim()])
    .nullish()
    .transform((v): number | null | undefined =>
      v === "" || v === null || v === undefined ? null : typeof v === "number" ? v : Number(v.replace(/[\s,_]/g, "")),
    )
    .pipe(count(label, max));

/**
 * The company page's edit form: only the fields the person changed are sent (a field left out
 * stays as it is, so two people editing different fields do not undo each other's work); blank
 * text clears a field.
 */
export const ZUpdateCompanyForm = z.strictObject({
  companyId: z.uuid("That company is not valid."),
  name: COMPANY_FIELD_SCHEMAS.name.optional(),
  domain: COMPANY_FIELD_SCHEMAS.domain.optional(),
  website: COMPANY_FIELD_SCHEMAS.website.optional(),
  linkedinUrl: COMPANY_FIELD_SCHEMAS.linkedinUrl.optional(),
  industry: COMPANY_FIELD_SCHEMAS.industry.optional(),
  employeeCount: countFromText("Employee count", MAX_EMPLOYEES).optional(),
  annualRevenue: countFromText("Annual revenue", Number.MAX_SAFE_INTEGER).optional(),
  country: COMPANY_FIELD_SCHEMAS.country.optional(),
  city: COMPANY_FIELD_SCHEMAS.city.optional(),
  description: COMPANY_FIELD_SCHEMAS.description.optional(),
});
export type UpdateCompanyFormInput = z.input<typeof ZUpdateCompanyForm>;
