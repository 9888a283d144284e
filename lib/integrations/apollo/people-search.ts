import { z } from "zod";
import type { ApolloClient, ApolloEndpoint } from "./client";
import { ZApolloSearchPage, type ApolloSearchPerson } from "./schemas";

/**
 * People API Search (`POST /mixed_people/api_search`): free, needs a master key, and returns
 * locked records (no email, obfuscated surname), so what it finds is enriched by id afterwards.
 * Apollo shows at most 100 per page and 500 pages (50,000 people) of one search.
 */
export const APOLLO_SEARCH_PER_PAGE_MAX = 100;
export const APOLLO_SEARCH_PAGE_CAP = 500;
export const APOLLO_SEARCH_DISPLAY_CAP = APOLLO_SEARCH_PER_PAGE_MAX * APOLLO_SEARCH_PAGE_CAP;

export const APOLLO_SEARCH_NEEDS = "People Search needs a master API key.";

const SEARCH: ApolloEndpoint = { method: "POST", path: "/mixed_people/api_search", name: "People Search", needs: APOLLO_SEARCH_NEEDS };

export const APOLLO_SENIORITIES = [
  "owner",
  "founder",
  "c_suite",
  "partner",
  "vp",
  "head",
  "director",
  "manager",
  "senior",
  "entry",
  "intern",
] as const;

const list = (max: number) => z.array(z.string().trim().min(1).max(200)).max(max).default([]);

export const ZApolloPeopleFilters = z.object({
  titles: list(100),
  seniorities: z.array(z.enum(APOLLO_SENIORITIES)).default([]),
  locations: list(100),
  /** Company domains without www. or @ (current or previous employer). */
  organizationDomains: list(1000),
  /** "min,max" ranges, e.g. "1,10", "250,500". */
  employeeRanges: z
    .array(z.string().regex(/^\d+,\d+$/, "Write an employee range as min,max, like 11,50."))
    .max(20)
    .default([]),
  keywords: z.string().trim().max(200).optional(),
});
export type ApolloPeopleFilters = z.input<typeof ZApolloPeopleFilters>;

export type ApolloSearchPage = {
  people: ApolloSearchPerson[];
  page: number;
  perPage: number;
  /** How many Apollo says match, beyond what it will show. */
  totalEntries: number;
  /** The last page Apollo will serve for this search: its total, or the 500-page cap. */
  lastPage: number;
};

/** Accents stripped: Apollo's keyword filter is reported to match only unaccented text. */
const unaccented = (text: string) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "");

export function apolloSearchBody(filters: ApolloPeopleFilters, page: number, perPage: number): Record<string, unknown> {
  const f = ZApolloPeopleFilters.parse(filters);
  const body: Record<string, unknown> = { page, per_page: perPage };
  if (f.titles.length) body.person_titles = f.titles;
  if (f.seniorities.length) body.person_seniorities = f.seniorities;
  if (f.locations.length) body.person_locations = f.locations;
  if (f.organizationDomains.length)
    body.q_organization_domains_list = f.organizationDomains.map((d) => d.replace(/^(https?:\/\/)?(www\.)?|@/gi, ""));
  if (f.employeeRanges.length) body.organization_num_employees_ranges = f.employeeRanges;
  if (f.keywords) body.q_keywords = unaccented(f.keywords);
  return body;
}

export async function searchApolloPeople(
  client: ApolloClient,
  filters: ApolloPeopleFilters,
  { page = 1, perPage = APOLLO_SEARCH_PER_PAGE_MAX }: { page?: number; perPage?: number } = {},
): Promise<ApolloSearchPage> {
  if (!Number.isInteger(page) || page < 1 || page > APOLLO_SEARCH_PAGE_CAP) {
    throw new RangeError(`Apollo serves pages 1 to ${APOLLO_SEARCH_PAGE_CAP} of a search; page ${page} was asked for.`);
  }
  const size = Math.min(Math.max(1, Math.trunc(perPage)), APOLLO_SEARCH_PER_PAGE_MAX);
  const answer = await client.call(SEARCH, apolloSearchBody(filters, page, size), ZApolloSearchPage);
  const totalEntries = answer.total_entries ?? answer.pagination?.total_entries ?? answer.people.length;
  return {
    people: answer.people,
    page,
    perPage: size,
    totalEntries,
    lastPage: Math.min(APOLLO_SEARCH_PAGE_CAP, Math.max(1, Math.ceil(totalEntries / size))),
  };
}

/**
 * "The first N matching": pages through the search until N people, the last page, or Apollo's
 * cap, whichever comes first. An empty page ends it too (Apollo's count is an estimate).
 */
export async function collectApolloPeople(
  client: ApolloClient,
  filters: ApolloPeopleFilters,
  { limit = APOLLO_SEARCH_DISPLAY_CAP, perPage = APOLLO_SEARCH_PER_PAGE_MAX }: { limit?: number; perPage?: number } = {},
): Promise<{ people: ApolloSearchPerson[]; totalEntries: number; pages: number }> {
  const wanted = Math.min(limit, APOLLO_SEARCH_DISPLAY_CAP);
  const people: ApolloSearchPerson[] = [];
  const seen = new Set<string>();
  let totalEntries = 0;
  let pages = 0;
  for (let page = 1; people.length < wanted; page++) {
    const result = await searchApolloPeople(client, filters, { page, perPage });
    pages++;
    totalEntries = result.totalEntries;
    for (const person of result.people) {
      // A person can move between pages while paging; keep them once.
      if (people.length < wanted && !seen.has(person.id)) {
        seen.add(person.id);
        people.push(person);
      }
    }
    if (result.people.length === 0 || page >= result.lastPage) break;
  }
  return { people, totalEntries, pages };
}
