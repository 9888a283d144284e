import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads, profiles } from "@/db/schema";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { isoMicros } from "@/lib/db-values/iso-micros";
import { canEditLead } from "./lead-permissions";

/** Who is changing a lead: the services check the role themselves, RLS checks again. */
export type LeadActor = { userId: string; role: WorkspaceRole };

export type LockedLead = typeof leads.$inferSelect & { version: string };

/**
 * The lead, locked for the rest of the transaction, once the actor may edit it. The lock makes
 * "read, compare, write" one step: a concurrent edit waits, then sees this one's result.
 * Under RLS a lead the actor may not write is invisible to FOR UPDATE, so a miss is told
 * apart (another workspace's lead: not found; a teammate's: refused, naming its owner).
 */
export async function lockLeadForEdit(
  tx: Executor,
  { workspaceId, actor, leadId }: { workspaceId: string; actor: LeadActor; leadId: string },
): Promise<LockedLead> {
  const [locked] = await tx
    .select({ lead: leads, version: isoMicros(leads.updatedAt) })
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)))
    .for("update");
  if (locked && canEditLead(actor.role, actor.userId, locked.lead.ownerId)) {
    if (locked.lead.deletedAt)
      throw new AppError("conflict", "This lead is deleted. Restore it from the Deleted leads before changing it.");
    return { ...locked.lead, version: locked.version };
  }
  const [visible] = await tx
    .select({ ownerId: leads.ownerId, ownerName: profiles.fullName, ownerEmail: profiles.email })
    .from(leads)
    .leftJoin(profiles, eq(profiles.id, leads.ownerId))
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!visible) throw notFound("That lead");
  throw refusal(actor, visible.ownerId ? (visible.ownerName ?? visible.ownerEmail ?? "another teammate") : null);
}

function refusal(actor: LeadActor, ownerName: string | null) {
  if (actor.role === "viewer" || actor.role === "analyst") return forbidden("Your role can read leads but not change them.");
  return forbidden(
    `This lead belongs to ${ownerName ?? "another teammate"}: only its owner, a manager or an admin can change it. Ask a manager to assign it to you.`,
  );
}
