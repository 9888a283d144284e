import "server-only";
import type { Executor } from "@/db";
import type { LeadStatus } from "@/db/schema";
import { planOwnerChange } from "./change-lead-owner";
import { planStatusChange } from "./change-lead-status";
import { lockLeadForEdit } from "./lock-lead";
import { planFieldsEdit, type UpdateLeadInput } from "./update-lead";
import { NO_EDIT, staleEditError, writeLeadEdit } from "./write-lead-edit";

type Input = UpdateLeadInput & {
  status?: LeadStatus;
  /** A member's user id, null for unassigned; left out, the owner stays. */
  ownerId?: string | null;
};

/**
 * One edit of a lead's fields, status and owner together (the REST API's PATCH), with the
 * checks of the lead page's edit form, status menu and owner menu, all made against the lead as
 * locked before anything is written, then written as one change (writeLeadEdit): one update, so
 * one lead.updated naming every changed field and the owner, and lead.status_changed when the
 * status moved. `version` is checked even when no field is sent, so a stale status or owner
 * change saves nothing either.
 */
export async function editLead(tx: Executor, { workspaceId, actor, leadId, version, fields, status, ownerId }: Input) {
  const lead = await lockLeadForEdit(tx, { workspaceId, actor, leadId });
  if (version !== null && lead.version !== version) throw await staleEditError(tx, workspaceId, actor, lead);
  const edits = [
    await planFieldsEdit(tx, { workspaceId, actor, lead, fields }),
    status === undefined ? NO_EDIT : planStatusChange({ workspaceId, actor, lead, status }),
    ownerId === undefined ? NO_EDIT : await planOwnerChange(tx, { workspaceId, actor, lead, ownerId }),
  ];
  return writeLeadEdit(tx, { workspaceId, actor, lead, edits });
}
