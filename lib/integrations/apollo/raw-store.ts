import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { apolloOrganizations } from "@/db/schema";

/**
 * The organizations inside revealed people, as Apollo sent them, into the raw layer
 * (apollo_organizations; the people themselves are apollo_enriched_people). Upserted by id and
 * rewritten only when the JSON differs, so a replayed step changes nothing, not even
 * `fetched_at`. Called in the transaction that writes the people. Returns the rows written.
 */
export async function storeApolloOrganizations(tx: Database, workspaceId: string, people: readonly unknown[]): Promise<number> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const person of people) {
    const org = (person as { organization?: unknown } | null)?.organization;
    if (!org || typeof org !== "object" || Array.isArray(org)) continue;
    const id = (org as { id?: unknown }).id;
    if (typeof id === "string" && id.length > 0 && id.length <= 100) byId.set(id, org as Record<string, unknown>);
  }
  if (byId.size === 0) return 0;
  const t = apolloOrganizations;
  const written = await tx
    .insert(t)
    .values([...byId].map(([apolloOrganizationId, raw]) => ({ workspaceId, apolloOrganizationId, raw })))
    .onConflictDoUpdate({
      target: [t.workspaceId, t.apolloOrganizationId],
      set: { raw: sql`excluded.raw`, fetchedAt: sql`now()` },
      setWhere: sql`${t.raw} is distinct from excluded.raw`,
    })
    .returning({ id: t.apolloOrganizationId });
  return written.length;
}
