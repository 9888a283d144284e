import type { MappedLead, MappedRow } from "./map-row";

/**
 * A batch's mapped rows as lines of PostgreSQL's COPY text format, for the staging table of
 * run-import-batch.ts: one COPY per batch instead of a round trip (or a bound parameter) per
 * row. Rows that mapRow failed or skipped are staged too, with their outcome already set, so
 * that one INSERT writes every issue of the batch.
 */

export const STAGE_COLUMNS = [
  "rn",
  "outcome",
  "reason",
  "detail",
  "email",
  "email_key",
  "apollo_id",
  "linkedin_url",
  "first_name",
  "last_name",
  "email_status",
  "title",
  "seniority",
  "department",
  "phone",
  "city",
  "country",
  "time_zone",
  "tags",
  "score",
  "custom_fields",
  "company_domain",
  "company_name",
  "company_website",
  "company_linkedin_url",
  "company_industry",
  "company_employee_count",
  "company_annual_revenue",
  "company_city",
  "company_country",
  "company_description",
  "apollo_organization_id",
] as const;

export const STAGE_TABLE_SQL = `create temp table import_stage (
  rn integer primary key,
  outcome text,
  reason text,
  detail text,
  email text,
  email_key text,
  apollo_id text,
  linkedin_url text,
  first_name text,
  last_name text,
  email_status public.email_status,
  title text,
  seniority text,
  department text,
  phone text,
  city text,
  country text,
  time_zone text,
  tags text[],
  score smallint,
  custom_fields jsonb,
  company_domain text,
  company_name text,
  company_website text,
  company_linkedin_url text,
  company_industry text,
  company_employee_count integer,
  company_annual_revenue bigint,
  company_city text,
  company_country text,
  company_description text,
  apollo_organization_id text,
  lead_id uuid,
  match_email uuid,
  match_apollo uuid,
  match_linkedin uuid,
  company_id uuid
) on commit drop`;

const COPY_SPECIAL = /[\\\t\n\r]/;

/** One value in COPY text format: \N for null; backslash, tab, newline and CR escaped. */
function copyValue(value: string | number | null): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  // Most values have nothing to escape: a test allocates nothing, a global replace does.
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/** A text[] literal: every element quoted, so commas, braces and spaces stay inside it. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
}

function leadLine(rn: number, lead: MappedLead): string {
  const c = lead.company;
  return [
    rn,
    null,
    null,
    null,
    lead.email,
    lead.email ? lead.email.toLowerCase() : null,
    lead.apolloPersonId,
    lead.linkedinUrl,
    lead.firstName,
    lead.lastName,
    lead.emailStatus,
    lead.title,
    lead.seniority,
    lead.department,
    lead.phone,
    lead.city,
    lead.country,
    lead.timeZone,
    arrayLiteral(lead.tags),
    lead.score,
    Object.keys(lead.customFields).length > 0 ? JSON.stringify(lead.customFields) : null,
    c?.domain ?? null,
    c?.name ?? null,
    c?.website ?? null,
    c?.linkedinUrl ?? null,
    c?.industry ?? null,
    c?.employeeCount ?? null,
    c?.annualRevenue ?? null,
    c?.city ?? null,
    c?.country ?? null,
    c?.description ?? null,
    c?.apolloOrganizationId ?? null,
  ]
    .map(copyValue)
    .join("\t");
}

const EMPTY_TAIL = "\t\\N".repeat(STAGE_COLUMNS.length - 4);

/** The COPY line of a row: its lead, or its outcome and reason when mapRow did not make one. */
export function stageLine(rn: number, mapped: MappedRow): string {
  if (mapped.kind === "lead") return leadLine(rn, mapped.lead) + "\n";
  return [rn, mapped.kind, mapped.reason, mapped.detail].map(copyValue).join("\t") + EMPTY_TAIL + "\n";
}

/** A row the upload stored no fields for and gave no issue (should not happen): counted, never lost. */
export function missingRowLine(rn: number): string {
  return [rn, "skipped", "empty_row", "The row was empty in the file."].map(copyValue).join("\t") + EMPTY_TAIL + "\n";
}
