import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db";
import { companies } from "@/db/schema";

/** At most this many domains are looked up at once: the preview's rows give far fewer. */
export const MAX_DOMAINS_LOOKED_UP = 2_000;

/**
 * The names of the workspace's companies at these domains (normalised, as companies.domain
 * holds them), by domain: what an import's preview needs to say which rows join an existing
 * company (lib/imports/company-links.ts). In the caller's RLS-scoped transaction.
 */
export async function companyNamesAtDomains(
  tx: Database,
  { workspaceId, domains }: { workspaceId: string; domains: readonly string[] },
): Promise<Record<string, string>> {
  if (domains.length === 0) return {};
  const rows = await tx
    .select({ domain: companies.domain, name: companies.name })
    .from(companies)
    .where(and(eq(companies.workspaceId, workspaceId), inArray(companies.domain, domains.slice(0, MAX_DOMAINS_LOOKED_UP))));
  return Object.fromEntries(rows.map((r) => [r.domain!, r.name]));
}
