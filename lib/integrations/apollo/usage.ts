import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { apolloImports } from "@/db/schema";

/**
 * Apollo credits this product spent for the workspace since the start of the month (UTC), as
 * Apollo's answers reported them (`credits_consumed`, added up on each run): imports from the
 * search. Spending elsewhere with the same key (Apollo's own app, other tools) is not known here.
 */
export async function apolloCreditsThisMonth(tx: Database, { workspaceId }: { workspaceId: string }): Promise<number> {
  const [row] = await tx.execute<{ credits: string }>(sql`
    select coalesce(sum(${apolloImports.creditsConsumed}), 0)::text as credits from ${apolloImports}
    where ${apolloImports.workspaceId} = ${workspaceId} and ${apolloImports.createdAt} >= date_trunc('month', now() at time zone 'utc') at time zone 'utc'`);
  return Number(row?.credits ?? 0);
}
