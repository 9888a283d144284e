import "server-only";
import type { Executor } from "@/db";
import type { LeadStatus } from "@/db/schema";
import { changeLeadOwner } from "./change-lead-owner";
import { changeLeadStatus } from "./change-lead-status";
import { updateLead, type UpdateLeadInput } from "./update-lead";

type Input = UpdateLeadInput & {
  status?: LeadStatus;
  /** A member's user id, null for unassigned; left out, the owner stays. */
  ownerId?: string | null;
};

/**
 * One edit of a lead's fields, status and owner together (the REST API's PATCH), through the
 * services of the lead page's edit form, status menu and owner menu. The fields go first: their
 * update checks `version` even when no field is sent, so a stale status or owner change saves
 * nothing either.
 */
export async function editLead(tx: Executor, { workspaceId, actor, leadId, version, fields, status, ownerId }: Input) {
  await updateLead(tx, { workspaceId, actor, leadId, version, fields });
  if (status !== undefined) await changeLeadStatus(tx, { workspaceId, actor, leadId, status });
  if (ownerId !== undefined) await changeLeadOwner(tx, { workspaceId, actor, leadId, ownerId });
}
