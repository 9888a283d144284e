import "server-only";
import { sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import type { Database } from "@/db";
import { pgArray } from "@/db/pg-array";
import type { ImportStatus } from "@/db/schema";

/**
 * Which of an agent's rows count as imported, for a recurring import to leave out: the rows an
 * import of this workspace took (the fingerprints of row-fingerprint.ts), unless that import
 * never wrote them: cancelled or failed, or never started (still waiting for its mapping).
 * Those rows are taken again by the next import that takes them; one that writes some of them
 * twice meets the leads it wrote and follows its rules for a match.
 */
const NOT_TAKEN: ImportStatus[] = ["mapping", "cancelled", "failed"];

export async function takenFingerprints(db: Database, workspaceId: string, agentId: string): Promise<Set<string>> {
  const rows = await db.execute<{ fingerprint: string }>(sql`
    select r.fingerprint from public.phantombuster_imported_rows r
    left join public.lead_imports i on i.id = r.import_id
    -- An import deleted since (import_id set null) had taken them.
    where r.workspace_id = ${workspaceId} and r.agent_id = ${agentId} and (r.import_id is null or i.status::text <> all(${pgArray(NOT_TAKEN)}::text[]))`);
  return new Set(rows.map((r) => r.fingerprint));
}

/** Remembers `prints` as taken by `importId` (in the upload's transaction), over an earlier import that did not take them. */
export async function rememberTaken(
  tx: TransactionSql,
  row: { workspaceId: string; agentId: string; importId: string },
  prints: readonly string[],
): Promise<void> {
  await tx`
    insert into public.phantombuster_imported_rows as r (workspace_id, agent_id, fingerprint, import_id)
    -- distinct: a file may hold the same person twice (one row may not be updated twice in a statement).
    select distinct ${row.workspaceId}::uuid, ${row.agentId}, f, ${row.importId}::uuid from unnest(${pgArray([...prints])}::text[]) f
    on conflict (workspace_id, agent_id, fingerprint) do update set import_id = excluded.import_id, created_at = now()
      where exists (select 1 from public.lead_imports i where i.id = r.import_id and i.status::text = any(${pgArray(NOT_TAKEN)}::text[]))`;
}
