/**
 * The personalisation variables a campaign email may use: lead and company fields, the
 * workspace's custom fields as `custom.<key>`, and the enrichment's icebreaker. Pure (the editor
 * lists them; the renderer fills them from a lead).
 */
export const TEMPLATE_VARIABLES = {
  first_name: "First name",
  last_name: "Last name",
  full_name: "First and last name",
  email: "Email address",
  title: "Job title",
  seniority: "Seniority",
  department: "Department",
  company: "Company name",
  city: "City",
  country: "Country",
  icebreaker: "Icebreaker (from enrichment)",
} as const;
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;

export const CUSTOM_PREFIX = "custom";

export function isTemplateVariable(name: string): name is TemplateVariable {
  return Object.hasOwn(TEMPLATE_VARIABLES, name);
}

/** `custom.<key>` keys as a lead's custom_fields hold them (the import's mapping writes them). */
export const CUSTOM_KEY = /^[A-Za-z0-9_][A-Za-z0-9_ -]{0,63}$/;

/**
 * The values one lead gives a template, every value a non-empty trimmed string: an empty
 * field is absent, so the engine (strict variables) refuses to print it without a `default`.
 */
export type TemplateValues = Partial<Record<TemplateVariable, string>> & { custom: Record<string, string> };
