import { z } from "zod";

/**
 * Apollo's answers as documented (vendors/apollo…md §1.2–1.5), checked at the boundary. Objects
 * are loose: fields we do not read are kept for the raw layer, and a new field never fails the
 * parse. Nullable where Apollo sends null or omits the field.
 */
const text = z.string().nullish();

export const ZApolloKeyHealth = z.looseObject({ is_logged_in: z.boolean().optional(), healthy: z.boolean().optional() });

export const ZApolloSearchOrganization = z.looseObject({ name: text });

/** A locked record of the free People API Search: no email, an obfuscated surname. */
export const ZApolloSearchPerson = z.looseObject({
  id: z.string().min(1),
  first_name: text,
  last_name_obfuscated: text,
  title: text,
  last_refreshed_at: text,
  has_email: z.boolean().nullish(),
  organization: ZApolloSearchOrganization.nullish(),
});
export type ApolloSearchPerson = z.infer<typeof ZApolloSearchPerson>;

export const ZApolloSearchPage = z.looseObject({
  total_entries: z.number().int().nonnegative().optional(),
  // Not documented for api_search, but some answers carry it (vendors file §1.2): read when present.
  pagination: z.looseObject({ total_entries: z.number().int().nonnegative().optional() }).nullish(),
  people: z.array(ZApolloSearchPerson),
});

export const ZApolloOrganization = z.looseObject({
  id: text,
  name: text,
  primary_domain: text,
  website_url: text,
  linkedin_url: text,
  industry: text,
  estimated_num_employees: z.number().nullish(),
  city: text,
  state: text,
  country: text,
});

/** A person as People Enrichment reveals them. */
export const ZApolloPerson = z.looseObject({
  id: z.string().min(1),
  first_name: text,
  last_name: text,
  name: text,
  email: text,
  email_status: text,
  title: text,
  headline: text,
  seniority: text,
  linkedin_url: text,
  city: text,
  state: text,
  country: text,
  organization_id: text,
  organization: ZApolloOrganization.nullish(),
});
export type ApolloPerson = z.infer<typeof ZApolloPerson>;

/** `matches` lines up with the request; a miss is null (clients also see it left out). */
export const ZApolloBulkMatch = z.looseObject({
  status: text,
  error_code: text,
  error_message: text,
  total_requested_enrichments: z.number().nullish(),
  unique_enriched_records: z.number().nullish(),
  missing_records: z.number().nullish(),
  // A float in an old example (0.01): a number, not an integer.
  credits_consumed: z.number().nonnegative().nullish(),
  matches: z.array(ZApolloPerson.nullable()).default([]),
});
