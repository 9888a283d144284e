import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { revokeInvitationsSentBy } from "@/lib/invitations/revoke-invitation";
import { assertAnotherAdminRemains, lockMember } from "./member-guards";

type Input = { workspaceId: string; actorId: string; memberId: string; role: WorkspaceRole };

export async function changeMemberRole(tx: Executor, { workspaceId, actorId, memberId, role }: Input) {
  const member = await lockMember(tx, workspaceId, memberId);
  if (member.role === role) return member;
  if (member.role === "admin") {
    await assertAnotherAdminRemains(tx, workspaceId, memberId);
    await revokeInvitationsSentBy(tx, { workspaceId, actorId, inviterId: member.userId });
  }

  const [updated] = await tx
    .update(workspaceMembers)
    .set({ role, updatedAt: new Date() })
    .where(and(eq(workspaceMembers.id, memberId), eq(workspaceMembers.workspaceId, workspaceId)))
    .returning();
  await recordAudit(tx, {
    workspaceId,
    actorId,
    action: "member.role_changed",
    targetType: "workspace_member",
    targetId: memberId,
    metadata: { userId: member.userId, from: member.role, to: role },
  });
  return updated!;
}
