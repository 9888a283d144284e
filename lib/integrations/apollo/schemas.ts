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

/**
 * A descriptive field of a revealed person or company. People Enrichment charges its credits
 * before we read the answer, so a value of another type than documented (a number for a city,
 * a list for a title) is read as absent, not a reason to refuse the whole answer and buy the same
 * people again on the retry. The id, the match's key, stays strict.
 */
const described = text.catch(null);
/** A head count: a number, or digits as text; anything else ("51-200") is read as unknown. */
const headCount = z
  .union([
    z.number().nonnegative(),
    z
      .string()
      .trim()
      .regex(/^\d{1,9}$/)
      .transform(Number),
  ])
  .nullish()
  .catch(null);

export const ZApolloOrganization = z.looseObject({
  id: described,
  name: described,
  primary_domain: described,
  website_url: described,
  linkedin_url: described,
  industry: described,
  estimated_num_employees: headCount,
  city: described,
  state: described,
  country: described,
});

/** A person as People Enrichment reveals them. */
export const ZApolloPerson = z.looseObject({
  id: z.string().min(1),
  first_name: described,
  last_name: described,
  name: described,
  email: described,
  email_status: described,
  title: described,
  headline: described,
  seniority: described,
  linkedin_url: described,
  city: described,
  state: described,
  country: described,
  organization_id: described,
  // An organization that is not an object at all is no company, not a refused answer.
  organization: ZApolloOrganization.nullish().catch(null),
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
  // A match without its id cannot be placed on a lead: that refuses the answer (kept raw for the admin).
  matches: z.array(ZApolloPerson.nullable()).default([]),
});
