import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { invitations, profiles, workspaceMembers } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { openInvitationsOf } from "./open-invitations";
import { INVITATION_TTL_DAYS, newInvitationToken } from "./token";

type Input = { workspaceId: string; actorId: string; email: string; role: WorkspaceRole; now?: Date };

/**
 * Creates an invitation and returns the raw token for the emailed link. Inviting an address
 * again replaces its open invitation, so only the newest link works.
 */
export async function createInvitation(tx: Executor, { workspaceId, actorId, email, role, now = new Date() }: Input) {
  const address = email.trim().toLowerCase();
  // One invitation of an address at a time per workspace: two at once (a double submit, two
  // admins) would each revoke the open one and then both insert, and the second would fail on
  // the one-open-invitation key. The later waits here and replaces the earlier's link.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invitation:${workspaceId}:${address}`}, 0))`);
  const [existingMember] = await tx
    .select({ id: workspaceMembers.id })
    .from(workspaceMembers)
    .innerJoin(profiles, eq(profiles.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(sql`lower(${profiles.email})`, address)));
  if (existingMember) throw new AppError("conflict", `${address} is already a member of this workspace.`, { email: ["Already a member."] });

  await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(openInvitationsOf(workspaceId, eq(invitations.email, address)));

  // Through the database's own function: a person's token may not insert invitations (migration
  // 0100), so that no admin can plant a link whose token they know.
  const { token, tokenHash } = newInvitationToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const [created] = await tx.execute<{ id: string }>(sql`
    select private.create_invitation(${workspaceId}, ${address}, ${role}::public.workspace_role, ${tokenHash},
      ${expiresAt.toISOString()}::timestamptz, ${actorId}) as id`);
  const [invitation] = await tx.select().from(invitations).where(eq(invitations.id, created!.id));
  await recordAudit(tx, {
    workspaceId,
    actorId,
    action: "invitation.created",
    targetType: "invitation",
    targetId: invitation!.id,
    metadata: { email: address, role },
  });
  return { invitation: invitation!, token };
}
