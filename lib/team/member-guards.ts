import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";

/** Loads a member of this workspace, locked for the change; another workspace's id is "not found". */
export async function lockMember(tx: Executor, workspaceId: string, memberId: string) {
  const [member] = await tx
    .select()
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.id, memberId), eq(workspaceMembers.workspaceId, workspaceId)))
    .for("update");
  if (!member) throw notFound("That team member");
  return member;
}

/** A workspace always keeps an admin: someone must be able to approve, invite and recover. */
export async function assertAnotherAdminRemains(tx: Executor, workspaceId: string, memberId: string): Promise<void> {
  // Lock every admin row so two concurrent demotions cannot both pass this check.
  const admins = await tx
    .select({ id: workspaceMembers.id })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.role, "admin")))
    .for("update");
  if (!admins.some((a) => a.id !== memberId)) {
    throw new AppError("conflict", "A workspace needs at least one admin. Make someone else an admin first.");
  }
}
