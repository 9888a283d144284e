import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { revokeInvitationsSentBy } from "@/lib/invitations/revoke-invitation";
import { assertAnotherAdminRemains, lockMember } from "./member-guards";

type Input = { workspaceId: string; actorId: string; memberId: string };

export async function removeMember(tx: Executor, { workspaceId, actorId, memberId }: Input): Promise<void> {
  const member = await lockMember(tx, workspaceId, memberId);
  if (member.role === "admin") {
    await assertAnotherAdminRemains(tx, workspaceId, memberId);
    await revokeInvitationsSentBy(tx, { workspaceId, actorId, inviterId: member.userId });
  }
  // Their API keys are revoked with the row, each audited (migration 0141's trigger).
  await tx.delete(workspaceMembers).where(and(eq(workspaceMembers.id, memberId), eq(workspaceMembers.workspaceId, workspaceId)));
  await recordAudit(tx, {
    workspaceId,
    actorId,
    action: "member.removed",
    targetType: "workspace_member",
    targetId: memberId,
    metadata: { userId: member.userId, role: member.role },
  });
}
