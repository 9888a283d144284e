import { VendorError } from "@/lib/integrations/http/vendor-error";
import { APOLLO, type ApolloClient, type ApolloEndpoint } from "./client";
import { APOLLO_SEARCH_NEEDS, searchApolloPeople } from "./people-search";
import { ZApolloKeyHealth } from "./schemas";

const HEALTH: ApolloEndpoint = { method: "GET", path: "/auth/health", name: "the key check", needs: "any valid API key can call it." };

/**
 * The cheap call that tells whether a key works, before it is saved: `GET /auth/health` costs
 * no credit and answers `{"is_logged_in": true}` for a valid key. A wrong key is a 401, or a
 * 200 saying it is not logged in.
 */
export async function checkApolloKey(client: ApolloClient): Promise<void> {
  const health = await client.call(HEALTH, undefined, ZApolloKeyHealth);
  if (health.is_logged_in === false) {
    throw new VendorError(
      APOLLO.id,
      "unauthorized",
      "Apollo did not accept the API key (it is not logged in). Copy the key again from Apollo (Settings → Integrations → API keys) and save it here.",
    );
  }
}

/**
 * What of the app's Apollo calls the key may not make, learnt with a one-person search (free):
 * a key that is not a master key may enrich but not search. Null when it may search;
 * undefined when Apollo did not say (busy, down).
 */
export async function missingApolloPermission(client: ApolloClient): Promise<string | null | undefined> {
  try {
    await searchApolloPeople(client, {}, { page: 1, perPage: 1 });
    return null;
  } catch (error) {
    if (error instanceof VendorError && error.kind === "forbidden") return APOLLO_SEARCH_NEEDS;
    if (error instanceof VendorError) return undefined;
    throw error;
  }
}
