import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { ActivityType } from "@/db/schema/lead-activities";
import type { BulkChange } from "./schemas";

/** One changed lead as the batch's UPDATE returned it, with the values it had before. */
export type ChangedLead = { id: string; ownerBefore: string | null; statusBefore: string; tagsBefore: string[] };

type ActivityRow = { leadId: string; type: ActivityType; payload: Record<string, unknown> };

/**
 * The timeline entries of a bulk change, one per lead changed, each naming the operation so
 * the timeline can say "in a bulk change". Payloads follow the shapes of the single-lead
 * changes: `{ before, after }` for status and owner, `{ added, removed }` for tags.
 */
export function bulkActivityRows(change: BulkChange, operationId: string, changed: ChangedLead[]): ActivityRow[] {
  const base = { bulkOperationId: operationId };
  return changed.map((lead): ActivityRow => {
    switch (change.action) {
      case "assign_owner":
        return { leadId: lead.id, type: "owner_changed", payload: { ...base, before: lead.ownerBefore, after: change.ownerId } };
      case "set_status":
        return { leadId: lead.id, type: "status_changed", payload: { ...base, before: lead.statusBefore, after: change.status } };
      case "add_tags":
        return {
          leadId: lead.id,
          type: "tags_changed",
          payload: { ...base, added: change.tags.filter((t) => !lead.tagsBefore.includes(t)), removed: [] },
        };
      case "remove_tags":
        return {
          leadId: lead.id,
          type: "tags_changed",
          payload: { ...base, added: [], removed: change.tags.filter((t) => lead.tagsBefore.includes(t)) },
        };
      case "delete":
        return { leadId: lead.id, type: "deleted", payload: base };
      case "restore":
        return { leadId: lead.id, type: "restored", payload: base };
    }
  });
}

/**
 * Appends the entries in one statement (the rows travel as one JSON parameter, whatever the
 * batch size), as the actor: RLS lets editors append only in their own name.
 */
export async function insertBulkActivities(
  tx: Executor,
  { workspaceId, actorId, rows }: { workspaceId: string; actorId: string; rows: ActivityRow[] },
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into public.lead_activities (workspace_id, lead_id, type, actor_id, payload)
    select ${workspaceId}::uuid, (e->>'leadId')::uuid, (e->>'type')::public.activity_type, ${actorId}::uuid, e->'payload'
    from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as e`);
}
