import { ZApolloPerson, type ApolloPerson } from "../schemas";
import type { ImportMapping, ImportTarget } from "@/lib/imports/types";

/**
 * An enriched Apollo person as a row of an import (lib/imports): the columns below, filled from
 * People Enrichment's JSON, so that the CSV import job maps, dedupes (email, then Apollo id,
 * then LinkedIn URL), writes and counts them exactly as it does a file's rows. Pure.
 */
export const APOLLO_IMPORT_PRESET = "apollo_api";
export const APOLLO_IMPORT_PRESET_LABEL = "Apollo People Search (enriched)";

const COLUMNS: [header: string, target: ImportTarget, value: (p: ApolloPerson) => unknown][] = [
  ["Apollo Person Id", "apollo_person_id", (p) => p.id],
  ["First Name", "first_name", (p) => p.first_name],
  ["Last Name", "last_name", (p) => p.last_name],
  ["Email", "email", (p) => p.email],
  ["Email Status", "email_status", (p) => p.email_status],
  ["Title", "title", (p) => p.title],
  ["Seniority", "seniority", (p) => p.seniority],
  ["Person Linkedin Url", "linkedin_url", (p) => p.linkedin_url],
  ["City", "city", (p) => p.city],
  ["Country", "country", (p) => p.country],
  ["Company Name", "company_name", (p) => p.organization?.name],
  ["Website", "company_website", (p) => p.organization?.website_url ?? p.organization?.primary_domain],
  ["Company Linkedin Url", "company_linkedin_url", (p) => p.organization?.linkedin_url],
  ["Industry", "company_industry", (p) => p.organization?.industry],
  ["Employees", "company_employee_count", (p) => p.organization?.estimated_num_employees],
  ["Company City", "company_city", (p) => p.organization?.city],
  ["Company Country", "company_country", (p) => p.organization?.country],
  ["Apollo Account Id", "apollo_organization_id", (p) => p.organization?.id ?? p.organization_id],
];

export const APOLLO_IMPORT_HEADERS: string[] = COLUMNS.map(([header]) => header);

export const APOLLO_IMPORT_MAPPING: ImportMapping = {
  columns: COLUMNS.map(([, field]) => ({ kind: "field" as const, field })),
};

/**
 * The row's values in header order. Apollo sends placeholders for emails it will not reveal
 * (`email_not_unlocked@domain.com`): those are left blank, never imported as an address.
 */
export function apolloPersonRow(raw: unknown): string[] {
  const person = ZApolloPerson.parse(raw);
  return COLUMNS.map(([, target, value]) => {
    const v = value(person);
    if (v === null || v === undefined) return "";
    const text = String(v).trim();
    if (target === "email" && /^email_not_unlocked@/i.test(text)) return "";
    return text;
  });
}
