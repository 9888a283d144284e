import { CUSTOM_KEY, type TemplateValues } from "./variables";

/** The lead fields a template can read (a lead row, or a fixture in the editor). */
export type TemplateLead = {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  title: string | null;
  seniority: string | null;
  department: string | null;
  companyName: string | null;
  city: string | null;
  country: string | null;
  customFields: Record<string, unknown>;
  enrichment: Record<string, unknown>;
};

function present(value: unknown): string | undefined {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/**
 * A lead's values for its templates. An empty or blank field is left out, not set to "", so
 * the engine refuses to print it unless the template gives a fallback (DESIGN.md §7.6).
 */
export function templateValuesOf(lead: TemplateLead): TemplateValues {
  const values: TemplateValues = { custom: {} };
  const set = (key: Exclude<keyof TemplateValues, "custom">, value: unknown) => {
    const v = present(value);
    if (v !== undefined) values[key] = v;
  };
  set("first_name", lead.firstName);
  set("last_name", lead.lastName);
  set("full_name", [present(lead.firstName), present(lead.lastName)].filter(Boolean).join(" "));
  set("email", lead.email);
  set("title", lead.title);
  set("seniority", lead.seniority);
  set("department", lead.department);
  set("company", lead.companyName);
  set("city", lead.city);
  set("country", lead.country);
  set("icebreaker", lead.enrichment.icebreaker);
  for (const [key, value] of Object.entries(lead.customFields)) {
    const v = present(value);
    if (v !== undefined && CUSTOM_KEY.test(key)) values.custom[key] = v;
  }
  return values;
}
