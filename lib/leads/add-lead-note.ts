import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { recordActivity } from "./activities";
import type { LeadActor } from "./lock-lead";

type Input = { workspaceId: string; actor: LeadActor; leadId: string; body: string };

/**
 * Adds a note to the lead's timeline. Any lead editor may note on any lead of the workspace (a
 * rep records a call about a teammate's lead), as the lead_activities policy allows: a note
 * changes nothing on the lead itself, so it needs no version and never makes an edit stale.
 */
export async function addLeadNote(tx: Executor, { workspaceId, actor, leadId, body }: Input) {
  if (!can(actor.role, "leads.edit_own")) throw forbidden("Your role can read leads but not add notes.");
  const [lead] = await tx
    .select({ deletedAt: leads.deletedAt })
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!lead) throw notFound("That lead");
  if (lead.deletedAt) throw new AppError("conflict", "This lead is deleted. Restore it from the Deleted leads before adding notes.");
  const activityId = await recordActivity(tx, { workspaceId, leadId, type: "note_added", actorId: actor.userId, payload: { body } });
  return { added: true, activityId };
}
