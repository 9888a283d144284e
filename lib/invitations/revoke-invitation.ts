import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { invitations } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { notFound } from "@/lib/errors";
import { openInvitationsOf } from "./open-invitations";

type Input = { workspaceId: string; actorId: string; invitationId: string };

export async function revokeInvitation(tx: Executor, { workspaceId, actorId, invitationId }: Input): Promise<void> {
  const [revoked] = await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(openInvitationsOf(workspaceId, eq(invitations.id, invitationId)))
    .returning({ id: invitations.id, email: invitations.email });
  if (!revoked) throw notFound("That invitation");
  await recordAudit(tx, {
    workspaceId,
    actorId,
    action: "invitation.revoked",
    targetType: "invitation",
    targetId: invitationId,
    metadata: { email: revoked.email },
  });
}
