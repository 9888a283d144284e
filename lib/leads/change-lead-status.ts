import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads, type LeadStatus } from "@/db/schema";
import { recordActivities } from "./activities";
import { lockLeadForEdit, type LeadActor } from "./lock-lead";

type Input = { workspaceId: string; actor: LeadActor; leadId: string; status: LeadStatus };

/** Moves the lead along its pipeline and records the move on its timeline (a no-op when unchanged). */
export async function changeLeadStatus(tx: Executor, { workspaceId, actor, leadId, status }: Input) {
  const lead = await lockLeadForEdit(tx, { workspaceId, actor, leadId });
  if (lead.status === status) return { changed: false, status };
  await tx
    .update(leads)
    .set({ status })
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  await recordActivities(tx, [
    { workspaceId, leadId, type: "status_changed", actorId: actor.userId, payload: { before: lead.status, after: status } },
  ]);
  return { changed: true, status };
}
