import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import { AppError, forbidden } from "@/lib/errors";
import { recordActivities } from "./activities";
import { cannotOwnLeads, leadOwnerRefusal } from "./lead-owner";
import { canSetOwner } from "./lead-permissions";
import { lockLeadForEdit, type LeadActor } from "./lock-lead";

type Input = { workspaceId: string; actor: LeadActor; leadId: string; ownerId: string | null };

/**
 * Assigns the lead (managers, admins), or lets a rep take an unassigned lead or give theirs
 * back (canSetOwner). The new owner must be a member of the lead's workspace who can work leads.
 */
export async function changeLeadOwner(tx: Executor, { workspaceId, actor, leadId, ownerId }: Input) {
  const lead = await lockLeadForEdit(tx, { workspaceId, actor, leadId });
  if (lead.ownerId === ownerId) return { changed: false, ownerId };
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
  await tx
    .update(leads)
    .set({ ownerId })
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  await recordActivities(tx, [
    { workspaceId, leadId, type: "owner_changed", actorId: actor.userId, payload: { before: lead.ownerId, after: ownerId } },
  ]);
  return { changed: true, ownerId };
}
