import { IMPORT_MAX_COLUMNS, type ImportTarget } from "./types";

/** The fields of a lead sent to the bulk upsert (upsert-leads.ts), by their API name, and the import target each fills. */
export const BULK_UPSERT_MAX_LEADS = 1_000;
/**
 * Different custom fields the leads of one call may carry between them (so one lead too). Each
 * becomes a column of the call's mapping, with a cell for every lead of the call: uncapped, the
 * 2 MB body held some 170,000 names, and mapping 1,000 leads of that many cells took seconds of
 * the event loop. A CSV import's mapping has at most as many columns.
 */
export const BULK_UPSERT_MAX_CUSTOM_FIELDS = IMPORT_MAX_COLUMNS;
export const BULK_UPSERT_PRESET = "api";

export const BULK_LEAD_TEXT_FIELDS = {
  firstName: "first_name",
  lastName: "last_name",
  fullName: "full_name",
  email: "email",
  emailStatus: "email_status",
  title: "title",
  seniority: "seniority",
  department: "department",
  phone: "phone",
  linkedinUrl: "linkedin_url",
  city: "city",
  country: "country",
  timeZone: "time_zone",
  apolloPersonId: "apollo_person_id",
  companyName: "company_name",
  companyWebsite: "company_website",
  companyLinkedinUrl: "company_linkedin_url",
  companyIndustry: "company_industry",
  companyCity: "company_city",
  companyCountry: "company_country",
  companyDescription: "company_description",
  apolloOrganizationId: "apollo_organization_id",
} as const satisfies Record<string, ImportTarget>;

export const BULK_LEAD_NUMBER_FIELDS = {
  score: "score",
  companyEmployeeCount: "company_employee_count",
  companyAnnualRevenue: "company_annual_revenue",
} as const satisfies Record<string, ImportTarget>;
