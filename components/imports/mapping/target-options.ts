import type { ColumnTarget, ImportTarget } from "@/lib/imports/types";

/** The words the mapping page uses for each field a column can fill, grouped as the select shows them. */
export const TARGET_GROUPS: { label: string; targets: [ImportTarget, string][] }[] = [
  {
    label: "Lead",
    targets: [
      ["email", "Email"],
      ["linkedin_url", "LinkedIn URL"],
      ["first_name", "First name"],
      ["last_name", "Last name"],
      ["full_name", "Full name (split into first and last)"],
      ["title", "Job title"],
      ["phone", "Phone"],
      ["email_status", "Email status"],
      ["seniority", "Seniority"],
      ["department", "Department"],
      ["city", "City"],
      ["country", "Country"],
      ["time_zone", "Time zone"],
      ["tags", "Tags"],
      ["score", "Score"],
      ["apollo_person_id", "Apollo person id"],
    ],
  },
  {
    label: "Company",
    targets: [
      ["company_name", "Company name"],
      ["company_website", "Company website"],
      ["company_linkedin_url", "Company LinkedIn URL"],
      ["company_industry", "Company industry"],
      ["company_employee_count", "Company employees"],
      ["company_annual_revenue", "Company annual revenue"],
      ["company_city", "Company city"],
      ["company_country", "Company country"],
      ["company_description", "Company description"],
      ["apollo_organization_id", "Apollo organization id"],
    ],
  },
];

const LABELS = new Map(TARGET_GROUPS.flatMap((g) => g.targets));

export function targetLabel(target: ColumnTarget): string {
  if (target.kind === "field") return `${fieldLabel(target.field)}${target.fallback ? " (fallback)" : ""}`;
  if (target.kind === "custom") return `Custom field “${target.key}”`;
  return "Ignored";
}

/** A field's name on the page, without saying whether the column is its main one. */
export function fieldLabel(field: ImportTarget): string {
  return LABELS.get(field) ?? field;
}

/** A target as a <select> value: `field:email`, `fallback:phone`, `custom`, `ignore`. */
export function targetValue(target: ColumnTarget): string {
  return target.kind === "field" ? `${target.fallback ? "fallback" : "field"}:${target.field}` : target.kind;
}
