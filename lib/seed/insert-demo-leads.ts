import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db";
import { companies, leadActivities, leads } from "@/db/schema";
import type { DemoWorkspaceData } from "./demo-leads";

// Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for the widest table.
const CHUNK = 500;

function chunks<T>(rows: T[]): T[][] {
  return Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK));
}

/**
 * Inserts one workspace's demo data in bulk, in the caller's transaction (service role). Safe
 * to run again (npm run db:seed): rows whose id, domain, email or LinkedIn URL is already
 * there are kept as they are, and only the leads inserted now get their timeline, so a
 * forced re-seed duplicates nothing and brings back only what was erased.
 */
export async function insertDemoWorkspace(tx: Database, workspaceId: string, data: DemoWorkspaceData): Promise<{ leads: number }> {
  for (const rows of chunks(data.companies)) await tx.insert(companies).values(rows).onConflictDoNothing();
  // A company of the same domain added by someone else wins; its would-be leads go without one.
  const present = new Set<string>();
  for (const rows of chunks(data.companies)) {
    const found = await tx
      .select({ id: companies.id })
      .from(companies)
      .where(
        and(
          eq(companies.workspaceId, workspaceId),
          inArray(
            companies.id,
            rows.map((c) => c.id),
          ),
        ),
      );
    for (const { id } of found) present.add(id);
  }

  const inserted = new Set<string>();
  for (const rows of chunks(data.leads)) {
    const values = rows.map((lead) => (lead.companyId && !present.has(lead.companyId) ? { ...lead, companyId: null } : lead));
    const done = await tx.insert(leads).values(values).onConflictDoNothing().returning({ id: leads.id });
    for (const { id } of done) inserted.add(id);
  }
  // One statement per chunk: the timeline trigger then sets each lead's last_activity_at once.
  for (const rows of chunks(data.activities.filter((a) => inserted.has(a.leadId)))) {
    await tx.insert(leadActivities).values(rows);
  }
  return { leads: inserted.size };
}
