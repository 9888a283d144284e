import type { ApolloClient, ApolloEndpoint } from "./client";
import { ZApolloBulkMatch, type ApolloPerson } from "./schemas";

/**
 * Bulk People Enrichment (`POST /people/bulk_match`) by Apollo id: at most 10 people a call,
 * credits charged per person revealed and reported as `credits_consumed`. Emails only: phone
 * reveals need a webhook and are not asked for.
 */
export const APOLLO_BULK_MATCH_MAX = 10;

const BULK_MATCH: ApolloEndpoint = {
  method: "POST",
  path: "/people/bulk_match",
  name: "People Enrichment",
  needs: "People Enrichment needs an API key with access to people/bulk_match and a plan with export credits.",
};

export type ApolloEnrichmentChunk = {
  people: ApolloPerson[];
  /** Ids Apollo did not match: nothing was revealed for them. */
  missingIds: string[];
  /** As Apollo reported it; 0 when the answer does not say. */
  creditsConsumed: number;
};

/** One call, ≤ 10 ids: what a job runs as one durable step. */
export async function enrichApolloChunk(client: ApolloClient, ids: readonly string[]): Promise<ApolloEnrichmentChunk> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { people: [], missingIds: [], creditsConsumed: 0 };
  if (unique.length > APOLLO_BULK_MATCH_MAX) {
    throw new RangeError(`Apollo enriches at most ${APOLLO_BULK_MATCH_MAX} people a call; ${unique.length} were given.`);
  }
  const answer = await client.call(
    BULK_MATCH,
    { details: unique.map((id) => ({ id })), reveal_personal_emails: false, reveal_phone_number: false },
    ZApolloBulkMatch,
  );
  const people = answer.matches.filter((p): p is ApolloPerson => p !== null);
  const matched = new Set(people.map((p) => p.id));
  return { people, missingIds: unique.filter((id) => !matched.has(id)), creditsConsumed: answer.credits_consumed ?? 0 };
}

export function chunkApolloIds(ids: readonly string[]): string[][] {
  const unique = [...new Set(ids)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += APOLLO_BULK_MATCH_MAX) chunks.push(unique.slice(i, i + APOLLO_BULK_MATCH_MAX));
  return chunks;
}

/** Every id, in chunks of 10, one after the other; credits added up from the answers. */
export async function enrichApolloPeopleByIds(
  client: ApolloClient,
  ids: readonly string[],
): Promise<ApolloEnrichmentChunk & { calls: number }> {
  const total: ApolloEnrichmentChunk & { calls: number } = { people: [], missingIds: [], creditsConsumed: 0, calls: 0 };
  for (const chunk of chunkApolloIds(ids)) {
    const result = await enrichApolloChunk(client, chunk);
    total.people.push(...result.people);
    total.missingIds.push(...result.missingIds);
    total.creditsConsumed += result.creditsConsumed;
    total.calls++;
  }
  return total;
}

/**
 * One call for ≤ 10 existing leads, each described by what we know of them (email, LinkedIn URL,
 * name + domain, or an Apollo id). Answers in the order asked, null where Apollo matched nobody;
 * when Apollo leaves misses out instead of sending null, each match is placed by its id, email
 * or LinkedIn URL.
 */
export async function matchApolloPeople(
  client: ApolloClient,
  details: readonly Record<string, string>[],
): Promise<{ matches: (ApolloPerson | null)[]; creditsConsumed: number }> {
  if (details.length === 0) return { matches: [], creditsConsumed: 0 };
  if (details.length > APOLLO_BULK_MATCH_MAX) {
    throw new RangeError(`Apollo enriches at most ${APOLLO_BULK_MATCH_MAX} people a call; ${details.length} were given.`);
  }
  const answer = await client.call(BULK_MATCH, { details, reveal_personal_emails: false, reveal_phone_number: false }, ZApolloBulkMatch);
  const credits = answer.credits_consumed ?? 0;
  if (answer.matches.length === details.length) return { matches: answer.matches, creditsConsumed: credits };
  const found = answer.matches.filter((p): p is ApolloPerson => p !== null);
  const same = (a: string | null | undefined, b: string | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
  return {
    matches: details.map(
      (d) => found.find((p) => same(p.id, d.id) || same(p.email, d.email) || same(p.linkedin_url, d.linkedin_url)) ?? null,
    ),
    creditsConsumed: credits,
  };
}
