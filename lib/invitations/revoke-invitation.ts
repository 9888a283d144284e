import "server-only";
import { eq, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { invitations } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { notFound } from "@/lib/errors";
import { openInvitationsOf } from "./open-invitations";

type Input = { workspaceId: string; actorId: string; invitationId: string };

export async function revokeInvitation(tx: Executor, { workspaceId, actorId, invitationId }: Input): Promise<void> {
  const revoked = await revokeOpenInvitations(tx, { workspaceId, actorId }, eq(invitations.id, invitationId), {});
  if (revoked === 0) throw notFound("That invitation");
}

/**
 * The open invitations `inviterId` sent in the workspace, revoked when they stop being its admin
 * (removed or given another role): a link they sent, even to a second mailbox of their own,
 * must not bring them or anyone back at the role they chose once they may no longer invite.
 * Each is audited as revoked by the admin who made the change.
 */
export async function revokeInvitationsSentBy(
  tx: Executor,
  { workspaceId, actorId, inviterId }: { workspaceId: string; actorId: string; inviterId: string },
) {
  await revokeOpenInvitations(tx, { workspaceId, actorId }, eq(invitations.invitedBy, inviterId), {
    reason: "inviter no longer an admin",
  });
}

/** Revokes the workspace's open invitations that `which` picks, each with its audit entry; answers how many. */
async function revokeOpenInvitations(
  tx: Executor,
  { workspaceId, actorId }: { workspaceId: string; actorId: string },
  which: SQL,
  metadata: Record<string, string>,
): Promise<number> {
  const revoked = await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(openInvitationsOf(workspaceId, which))
    .returning({ id: invitations.id, email: invitations.email });
  for (const invitation of revoked) {
    await recordAudit(tx, {
      workspaceId,
      actorId,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: invitation.id,
      metadata: { email: invitation.email, ...metadata },
    });
  }
  return revoked.length;
}
