import "server-only";
import type { LeadStatus } from "@/db/schema";
import type { NewActivity } from "@/lib/leads/activities";
import type { BulkChange } from "./schemas";

/** One changed lead as the batch's UPDATE returned it, with the values it had before. */
export type ChangedLead = { id: string; ownerBefore: string | null; statusBefore: string; tagsBefore: string[] };

/**
 * The timeline entries of a bulk change, one per lead changed, in the shapes of
 * lib/leads/activities.ts (the same as a change made on the lead page), written by the actor.
 */
export function bulkActivities(
  change: BulkChange,
  { workspaceId, actorId }: { workspaceId: string; actorId: string },
  changed: ChangedLead[],
): NewActivity[] {
  const base = { workspaceId, actorId };
  return changed.map((lead): NewActivity => {
    switch (change.action) {
      case "assign_owner":
        return { ...base, leadId: lead.id, type: "owner_changed", payload: { before: lead.ownerBefore, after: change.ownerId } };
      case "set_status":
        return {
          ...base,
          leadId: lead.id,
          type: "status_changed",
          payload: { before: lead.statusBefore as LeadStatus, after: change.status },
        };
      case "add_tags":
        return {
          ...base,
          leadId: lead.id,
          type: "tags_changed",
          payload: { added: change.tags.filter((t) => !lead.tagsBefore.includes(t)), removed: [] },
        };
      case "remove_tags":
        return {
          ...base,
          leadId: lead.id,
          type: "tags_changed",
          payload: { added: [], removed: change.tags.filter((t) => lead.tagsBefore.includes(t)) },
        };
      case "delete":
        return { ...base, leadId: lead.id, type: "deleted", payload: { bulk: true } };
      case "restore":
        return { ...base, leadId: lead.id, type: "restored", payload: { bulk: true } };
    }
  });
}
