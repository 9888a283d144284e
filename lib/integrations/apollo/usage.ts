import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { apolloImports, apolloLeadEnrichments } from "@/db/schema";

/**
 * Apollo credits this product spent for the workspace since the start of the month (UTC), as
 * Apollo's answers reported them (`credits_consumed`, added up on each run): imports from the
 * search and enrichments of existing leads. Spending elsewhere with the same key (Apollo's own app, other tools) is not known here.
 */
export async function apolloCreditsThisMonth(tx: Database, { workspaceId }: { workspaceId: string }): Promise<number> {
  const since = sql`date_trunc('month', now() at time zone 'utc') at time zone 'utc'`;
  const [row] = await tx.execute<{ credits: string }>(sql`
    select (
      (select coalesce(sum(${apolloImports.creditsConsumed}), 0) from ${apolloImports}
        where ${apolloImports.workspaceId} = ${workspaceId} and ${apolloImports.createdAt} >= ${since})
      + (select coalesce(sum(${apolloLeadEnrichments.creditsConsumed}), 0) from ${apolloLeadEnrichments}
        where ${apolloLeadEnrichments.workspaceId} = ${workspaceId} and ${apolloLeadEnrichments.createdAt} >= ${since})
    )::text as credits`);
  return Number(row?.credits ?? 0);
}
