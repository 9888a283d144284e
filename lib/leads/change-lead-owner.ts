import "server-only";
import type { Executor } from "@/db";
import { AppError, forbidden } from "@/lib/errors";
import { cannotOwnLeads, leadOwnerRefusal } from "./lead-owner";
import { canSetOwner } from "./lead-permissions";
import { lockLeadForEdit, type LeadActor, type LockedLead } from "./lock-lead";
import { NO_EDIT, staleEditError, writeLeadEdit, type LeadEdit } from "./write-lead-edit";

type Input = { workspaceId: string; actor: LeadActor; leadId: string; ownerId: string | null };

/**
 * Assigns the lead (managers, admins), or lets a rep take an unassigned lead or give theirs
 * back (canSetOwner). The new owner must be a member of the lead's workspace who can work leads.
 * `from`, the owner the page showed: an owner someone set since is not silently replaced.
 */
export async function changeLeadOwner(tx: Executor, { workspaceId, actor, leadId, ownerId, from }: Input & { from?: string | null }) {
  const lead = await lockLeadForEdit(tx, { workspaceId, actor, leadId });
  if (from !== undefined && lead.ownerId !== from && lead.ownerId !== ownerId) throw await staleEditError(tx, workspaceId, actor, lead);
  const edit = await planOwnerChange(tx, { workspaceId, actor, lead, ownerId });
  const { changed } = await writeLeadEdit(tx, { workspaceId, actor, lead, edits: [edit] });
  return { changed: changed.length > 0, ownerId };
}

/** The new owner, checked, as one part of a change of the lead (edit-lead.ts writes it with the fields and the status). */
export async function planOwnerChange(
  tx: Executor,
  { workspaceId, actor, lead, ownerId }: Omit<Input, "leadId"> & { lead: LockedLead },
): Promise<LeadEdit> {
  if (lead.ownerId === ownerId) return NO_EDIT;
  if (!canSetOwner(actor.role, actor.userId, lead.ownerId, ownerId)) {
    throw forbidden("Only a manager or an admin can give a lead to someone else. You can take an unassigned lead or give yours back.");
  }
  const refusal = ownerId ? await leadOwnerRefusal(tx, workspaceId, ownerId) : null;
  if (refusal === "not_member") {
    throw new AppError("invalid_input", "That person is not a member of this workspace.", {
      ownerId: ["Choose a teammate from the list."],
    });
  }
  if (refusal === "cannot_own") throw cannotOwnLeads();
  return {
    changed: ["owner"],
    set: { ownerId },
    activities: [
      { workspaceId, leadId: lead.id, type: "owner_changed", actorId: actor.userId, payload: { before: lead.ownerId, after: ownerId } },
    ],
  };
}
