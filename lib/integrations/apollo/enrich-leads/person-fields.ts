import { z } from "zod";
import type { ApolloEnrichMode } from "@/db/schema/apollo";
import type { EmailStatus } from "@/db/schema/lead-enums";
import { toEmailStatus } from "@/lib/imports/map-row";
import { LEAD_TEXT_LIMITS } from "@/lib/leads/field-limits";
import { emailDomain, normalizeDomain, normalizeEmail, normalizeLinkedInUrl } from "@/lib/leads/normalize";
import { ZApolloPerson } from "../schemas";

/**
 * How People Enrichment is asked about an existing lead, and what its answer changes. Pure.
 *
 * Asked by the most precise identifiers the lead has: its Apollo id when known, else whatever
 * of email, LinkedIn URL and name + company domain it has (more data, a better match). A lead
 * with none of those cannot be matched and is never sent (Apollo would answer nothing anyway).
 */
export type EnrichableLead = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  emailStatus: EmailStatus;
  title: string | null;
  seniority: string | null;
  department: string | null;
  linkedinUrl: string | null;
  city: string | null;
  country: string | null;
  apolloPersonId: string | null;
  companyId: string | null;
  companyName: string | null;
  /** The lead's company's domain, else its email's. */
  companyDomain: string | null;
};

export type MatchDetail = {
  id?: string;
  email?: string;
  linkedin_url?: string;
  first_name?: string;
  last_name?: string;
  domain?: string;
  organization_name?: string;
};

const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === "";

export function matchDetailOf(lead: EnrichableLead): MatchDetail | null {
  if (lead.apolloPersonId) return { id: lead.apolloPersonId };
  const detail: MatchDetail = {};
  if (!blank(lead.email)) detail.email = lead.email!.trim();
  if (!blank(lead.linkedinUrl)) detail.linkedin_url = lead.linkedinUrl!;
  const domain = lead.companyDomain ?? emailDomain(lead.email);
  const named = !blank(lead.firstName) && !blank(lead.lastName) && domain !== null;
  if (named) {
    detail.first_name = lead.firstName!.trim();
    detail.last_name = lead.lastName!.trim();
    detail.domain = domain;
    if (!blank(lead.companyName)) detail.organization_name = lead.companyName!.trim();
  }
  return detail.email || detail.linkedin_url || named ? detail : null;
}

/** The lead fields Apollo fills, in the order the panel lists them. */
export const ENRICHED_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "email_status",
  "title",
  "seniority",
  "department",
  "linkedin_url",
  "city",
  "country",
  "company",
] as const;
export type EnrichedField = (typeof ENRICHED_FIELDS)[number];

export const ENRICHED_FIELD_LABELS: Record<EnrichedField, string> = {
  first_name: "First name",
  last_name: "Last name",
  email: "Email",
  email_status: "Email status",
  title: "Title",
  seniority: "Seniority",
  department: "Department",
  linkedin_url: "LinkedIn",
  city: "City",
  country: "Country",
  company: "Company",
};

export type ApolloCompany = {
  apolloOrganizationId: string | null;
  name: string | null;
  domain: string;
  website: string | null;
  linkedinUrl: string | null;
  industry: string | null;
  employeeCount: number | null;
  city: string | null;
  country: string | null;
};

export type PersonValues = {
  apolloPersonId: string;
  /** What Apollo said, as our fields (only what it had): what the panel shows. */
  fields: Partial<Record<EnrichedField, string>>;
  company: ApolloCompany | null;
};

/** companies_name_length (migration 0009), as the company form keeps to it (lib/companies/schemas.ts). */
const COMPANY_NAME_MAX = 300;

const isEmailAddress = (value: string) => value.length <= LEAD_TEXT_LIMITS.email && z.regexes.email.test(value);

/**
 * A vendor's text as a lead or a company may hold it: trimmed, without control characters
 * (PostgreSQL stores no NUL) and cut at the field's limit, the one a person's form or a CSV
 * import keeps to. A value past it once failed the statement that stores the whole chunk, and
 * the retries bought the same people from Apollo again.
 */
const text = (v: string | null | undefined, max = 500) => {
  if (blank(v)) return undefined;
  const clean = v!.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim();
  return clean === "" ? undefined : Array.from(clean).slice(0, max).join("").trim();
};
const L = LEAD_TEXT_LIMITS;

/**
 * Apollo's person as our fields. Placeholder addresses (`email_not_unlocked@…`) are no address, and
 * neither is anything a form or a CSV import would refuse: a vendor's payload is checked like a
 * person's input (a value such as "a@x.example, b@y.example" would have become the `to` of a send,
 * past the suppression list, which compares whole addresses).
 */
export function personValues(raw: unknown): PersonValues {
  const p = ZApolloPerson.parse(raw);
  const email = normalizeEmail(p.email);
  const departments = (raw as { departments?: unknown }).departments;
  const fields: PersonValues["fields"] = {
    first_name: text(p.first_name, L.firstName),
    last_name: text(p.last_name, L.lastName),
    email: email && !/^email_not_unlocked@/i.test(email) && isEmailAddress(email) ? email : undefined,
    title: text(p.title, L.title),
    seniority: text(p.seniority, L.seniority),
    department: Array.isArray(departments) && typeof departments[0] === "string" ? text(departments[0], L.department) : undefined,
    linkedin_url: normalizeLinkedInUrl(p.linkedin_url) ?? undefined,
    city: text(p.city, L.city),
    country: text(p.country, L.country),
    company: text(p.organization?.name, COMPANY_NAME_MAX),
  };
  if (fields.email && p.email_status) fields.email_status = toEmailStatus(p.email_status);
  const org = p.organization;
  const domain = normalizeDomain(org?.primary_domain ?? org?.website_url);
  const company: ApolloCompany | null =
    org && domain
      ? {
          apolloOrganizationId: text(org.id, 200) ?? null,
          name: text(org.name, COMPANY_NAME_MAX) ?? null,
          domain,
          website: text(org.website_url, 500) ?? null,
          linkedinUrl: text(org.linkedin_url, 500) ?? null,
          industry: text(org.industry, 200) ?? null,
          employeeCount: typeof org.estimated_num_employees === "number" ? Math.round(org.estimated_num_employees) : null,
          city: text(org.city, 100) ?? null,
          country: text(org.country, 100) ?? null,
        }
      : null;
  for (const key of Object.keys(fields) as EnrichedField[]) if (fields[key] === undefined) delete fields[key];
  return { apolloPersonId: p.id, fields, company };
}

/** The lead's columns that enrichment writes, by field. */
export type LeadChanges = Partial<{
  firstName: string;
  lastName: string;
  email: string;
  emailStatus: EmailStatus;
  title: string;
  seniority: string;
  department: string;
  linkedinUrl: string;
  city: string;
  country: string;
  apolloPersonId: string;
}>;

const COLUMN: Record<Exclude<EnrichedField, "company">, keyof LeadChanges & keyof EnrichableLead> = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  email_status: "emailStatus",
  title: "title",
  seniority: "seniority",
  department: "department",
  linkedin_url: "linkedinUrl",
  city: "city",
  country: "country",
};

/**
 * What Apollo's values change on the lead: `fill_empty` writes only where the lead has
 * nothing (an email status only where it is unknown), `overwrite` wherever Apollo has a
 * different value. The company is decided by the caller (it needs the database). Identities
 * (email, LinkedIn URL, Apollo id) are proposed here and dropped by the caller when another
 * lead of the workspace holds them.
 */
export function leadChanges(
  lead: EnrichableLead,
  values: PersonValues,
  mode: ApolloEnrichMode,
): { changes: LeadChanges; changed: EnrichedField[] } {
  const changes: LeadChanges = {};
  const changed: EnrichedField[] = [];
  for (const [field, column] of Object.entries(COLUMN) as [Exclude<EnrichedField, "company">, keyof LeadChanges & keyof EnrichableLead][]) {
    const value = values.fields[field];
    if (value === undefined) continue;
    const current = lead[column] as string | null;
    const empty = field === "email_status" ? current === "unknown" : blank(current);
    const write = mode === "overwrite" ? current !== value : empty;
    if (field === "email_status" && !("email" in changes) && lead.email?.toLowerCase() !== values.fields.email?.toLowerCase()) continue;
    if (!write) continue;
    (changes as Record<string, string>)[column] = value;
    changed.push(field);
  }
  if (lead.apolloPersonId === null || (mode === "overwrite" && lead.apolloPersonId !== values.apolloPersonId)) {
    changes.apolloPersonId = values.apolloPersonId;
  }
  return { changes, changed };
}
