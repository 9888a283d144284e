import "server-only";
import type { LeadStatus } from "@/db/schema";
import type { NewActivity } from "@/lib/leads/activities";
import type { BulkChange } from "./schemas";
import { hasTag } from "./tag-rule";

/** One changed lead as the batch's UPDATE returned it, with the values it had before. */
export type ChangedLead = { id: string; ownerBefore: string | null; statusBefore: string; tagsBefore: string[] };

/**
 * The timeline entries of a bulk change, one per lead changed, in the shapes of
 * lib/leads/activities.ts (the same as a change made on the lead page, plus the operation's id),
 * written by the actor.
 */
export function bulkActivities(
  change: BulkChange,
  { workspaceId, actorId, operationId }: { workspaceId: string; actorId: string; operationId: string },
  changed: ChangedLead[],
): NewActivity[] {
  const base = { workspaceId, actorId };
  const bulk = { bulkOperationId: operationId };
  return changed.map((lead): NewActivity => {
    switch (change.action) {
      case "assign_owner":
        return { ...base, leadId: lead.id, type: "owner_changed", payload: { ...bulk, before: lead.ownerBefore, after: change.ownerId } };
      case "set_status":
        return {
          ...base,
          leadId: lead.id,
          type: "status_changed",
          payload: { ...bulk, before: lead.statusBefore as LeadStatus, after: change.status },
        };
      case "add_tags":
        return {
          ...base,
          leadId: lead.id,
          type: "tags_changed",
          payload: { ...bulk, added: change.tags.filter((t) => !hasTag(lead.tagsBefore, t)), removed: [] },
        };
      case "remove_tags":
        return {
          ...base,
          leadId: lead.id,
          type: "tags_changed",
          // The lead's own spelling of each tag it lost.
          payload: { ...bulk, added: [], removed: lead.tagsBefore.filter((b) => hasTag(change.tags, b)) },
        };
      case "delete":
        return { ...base, leadId: lead.id, type: "deleted", payload: bulk };
      case "restore":
        return { ...base, leadId: lead.id, type: "restored", payload: bulk };
    }
  });
}
