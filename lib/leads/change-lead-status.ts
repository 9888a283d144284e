import "server-only";
import type { Executor } from "@/db";
import type { LeadStatus } from "@/db/schema";
import { lockLeadForEdit, type LeadActor, type LockedLead } from "./lock-lead";
import { NO_EDIT, staleEditError, writeLeadEdit, type LeadEdit } from "./write-lead-edit";

type Input = { workspaceId: string; actor: LeadActor; leadId: string; status: LeadStatus };

/**
 * Moves the lead along its pipeline and records the move on its timeline (a no-op when unchanged).
 * `from`, the status the page showed: a status someone set since is not silently replaced.
 */
export async function changeLeadStatus(tx: Executor, { workspaceId, actor, leadId, status, from }: Input & { from?: LeadStatus }) {
  const lead = await lockLeadForEdit(tx, { workspaceId, actor, leadId });
  if (from !== undefined && lead.status !== from && lead.status !== status) throw await staleEditError(tx, workspaceId, actor, lead);
  const edit = planStatusChange({ workspaceId, actor, lead, status });
  const { changed } = await writeLeadEdit(tx, { workspaceId, actor, lead, edits: [edit] });
  return { changed: changed.length > 0, status };
}

/** The move as one part of a change of the lead (edit-lead.ts writes it with the fields and the owner). */
export function planStatusChange({ workspaceId, actor, lead, status }: Omit<Input, "leadId"> & { lead: LockedLead }): LeadEdit {
  if (lead.status === status) return NO_EDIT;
  return {
    changed: ["status"],
    set: { status },
    activities: [
      { workspaceId, leadId: lead.id, type: "status_changed", actorId: actor.userId, payload: { before: lead.status, after: status } },
    ],
  };
}
