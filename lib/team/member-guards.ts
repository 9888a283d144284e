import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";

/**
 * Loads a member of this workspace, locked for the change; another workspace's id is "not found".
 *
 * Changes to one workspace's members take turns first, under the lock its keep-an-admin check
 * takes at commit (migration 0101): two admins demoting each other at once each locked the
 * other's row and then waited for every admin row, a deadlock that PostgreSQL broke by failing
 * one of them with "something went wrong" instead of saying a workspace needs an admin.
 */
export async function lockMember(tx: Executor, workspaceId: string, memberId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('workspace-admins:' || ${workspaceId}::uuid::text, 0))`);
  const theMember = and(eq(workspaceMembers.id, memberId), eq(workspaceMembers.workspaceId, workspaceId));
  const [member] = await tx.select().from(workspaceMembers).where(theMember).for("update");
  if (member) return member;
  // Members may read the team but only admins lock a row for a change (RLS): one who is seen but
  // cannot be locked means the actor stopped being an admin meanwhile (another admin's change).
  const [seen] = await tx.select({ id: workspaceMembers.id }).from(workspaceMembers).where(theMember);
  if (seen) throw new AppError("forbidden", "You are no longer an admin of this workspace, so you cannot change its team.");
  throw notFound("That team member");
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
