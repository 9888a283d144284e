import "server-only";
import { z } from "zod";
import type { Database } from "@/db";
import { can } from "@/lib/auth/permissions";
import { AppError, forbidden } from "@/lib/errors";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import type { IntegrationActor } from "@/lib/integrations/accounts/accounts";
import { apolloClientForWorkspace } from "../client-for-account";
import { APOLLO_SEARCH_PAGE_CAP, searchApolloPeople, ZApolloPeopleFilters } from "../people-search";

/**
 * The People search page's query: one page of Apollo's free search, as the workspace's account
 * (real or sandbox). Pages beyond Apollo's 500 are refused with what to do instead.
 */
export const APOLLO_RESULTS_PER_PAGE = 25;

export const ZApolloSearchRequest = z.object({
  filters: ZApolloPeopleFilters,
  page: z.coerce
    .number()
    .int()
    .min(1, "Pages start at 1.")
    .max(APOLLO_SEARCH_PAGE_CAP, `Apollo shows at most ${APOLLO_SEARCH_PAGE_CAP} pages of a search: narrow the filters to see the rest.`)
    .default(1),
});
export type ApolloSearchRequest = z.input<typeof ZApolloSearchRequest>;

export type ApolloSearchRow = { id: string; firstName: string; lastName: string; title: string; company: string; hasEmail: boolean | null };

export type ApolloSearchResult = {
  people: ApolloSearchRow[];
  page: number;
  perPage: number;
  totalEntries: number;
  /** The last page Apollo will show (its 500-page cap included). */
  lastPage: number;
  /** The account is the app's sandbox: every screen says these are sample people. */
  sandbox: boolean;
};

export function assertCanImportFromApollo(actor: IntegrationActor): void {
  if (!can(actor.role, "imports.run") || !can(actor.role, "enrichment.run")) {
    throw forbidden("Your role can read leads but not search Apollo or import from it. Ask a manager or an admin.");
  }
}

export async function searchApolloForWorkspace(
  tx: Database,
  actor: IntegrationActor,
  input: z.output<typeof ZApolloSearchRequest>,
): Promise<ApolloSearchResult> {
  assertCanImportFromApollo(actor);
  const { client, sandbox } = await apolloClientForWorkspace(tx, actor);
  // The search is a fixed size per page: "page 7" always means the same people.
  const result = await searchApolloPeople(client, input.filters, { page: input.page, perPage: APOLLO_RESULTS_PER_PAGE }).catch(
    apolloRefusal,
  );
  return {
    people: result.people.map((p) => ({
      id: p.id,
      firstName: p.first_name ?? "",
      lastName: p.last_name_obfuscated ?? "",
      title: p.title ?? "",
      company: p.organization?.name ?? "",
      hasEmail: p.has_email ?? null,
    })),
    page: result.page,
    perPage: result.perPage,
    totalEntries: result.totalEntries,
    lastPage: result.lastPage,
    sandbox,
  };
}

/** Apollo's refusal in its own words (the client writes them for people), as the action's answer. */
export function apolloRefusal(error: unknown): never {
  if (error instanceof VendorError) {
    const code =
      error.kind === "forbidden" || error.kind === "unauthorized" ? "forbidden" : error.retryable ? "unavailable" : "invalid_input";
    throw new AppError(code === "unavailable" && error.kind === "rate_limited" ? "rate_limited" : code, error.message);
  }
  throw error;
}
