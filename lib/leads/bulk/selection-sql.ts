import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { leadBulkOperations, leads } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** Which leads an operation covers, as stored in lead_bulk_operations.selection. */
export type StoredSelection =
  | { kind: "ids"; ids: string[] }
  | { kind: "filter"; query: string }
  /** The leads a delete operation removed (restored by its undo). */
  | { kind: "undo"; operationId: string };

/** Ids travel as one JSON parameter, however many there are. */
export function idsParam(ids: readonly string[]): SQL {
  return sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

/**
 * The WHERE of an operation's leads, always inside its workspace. A restore works on deleted
 * leads, everything else on live ones. The deleted leads of one delete operation carry its
 * creation time (to the microsecond) and its requester, which is how its undo finds exactly them.
 */
export function selectionCondition(
  selection: StoredSelection,
  { workspaceId, userId, restoring }: { workspaceId: string; userId: string; restoring: boolean },
): SQL {
  const inWorkspace = sql`${leads.workspaceId} = ${workspaceId}`;
  const liveOrDeleted = restoring ? sql`${leads.deletedAt} is not null` : sql`${leads.deletedAt} is null`;
  switch (selection.kind) {
    case "ids":
      return sql`${inWorkspace} and ${liveOrDeleted} and ${leads.id} in ${idsParam(selection.ids)}`;
    case "filter":
      // Wired to matchingLeadsCondition (lib/leads/list-leads.ts) when the list service lands.
      throw new AppError("unavailable", "Changing all leads that match a filter is not available yet: select the leads instead.");
    case "undo":
      return sql`${inWorkspace} and ${leads.deletedBy} = ${userId} and ${leads.deletedAt} = (
        select o.created_at from ${leadBulkOperations} o
        where o.id = ${selection.operationId} and o.workspace_id = ${workspaceId} and o.requested_by = ${userId} and o.action = 'delete')`;
  }
}
