import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { invitations, profiles, workspaceMembers } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { assertInvitationUsable, findInvitationByToken } from "./find-invitation";

type Input = { token: string; userId: string; email: string; fullName?: string | null; now?: Date };

/**
 * Turns a valid invitation into a membership for the signed-in user whose email it was sent
 * to. Single use: the invitation row is locked, so two tabs cannot both accept it.
 */
export async function acceptInvitation(db: Database, { token, userId, email, fullName = null, now = new Date() }: Input) {
  return db.transaction(async (tx) => {
    const invitation = await findInvitationByToken(tx, token, now);
    assertInvitationUsable(invitation);
    const [locked] = await tx.select().from(invitations).where(eq(invitations.id, invitation.id)).for("update");
    if (!locked || locked.acceptedAt || locked.revokedAt) assertInvitationUsable({ ...invitation, status: "used" });

    if (invitation.email !== email.trim().toLowerCase()) {
      throw new AppError(
        "forbidden",
        `This invitation was sent to ${invitation.email}, but you are signed in as ${email}. Log out and open the link again.`,
      );
    }

    await tx.insert(profiles).values({ id: userId, email: invitation.email, fullName }).onConflictDoNothing();
    await tx.insert(workspaceMembers).values({ workspaceId: invitation.workspaceId, userId, role: invitation.role }).onConflictDoNothing();
    await tx.update(invitations).set({ acceptedAt: now, acceptedBy: userId }).where(eq(invitations.id, invitation.id));
    await recordAudit(tx, {
      workspaceId: invitation.workspaceId,
      actorId: userId,
      action: "invitation.accepted",
      targetType: "invitation",
      targetId: invitation.id,
      metadata: { email: invitation.email, role: invitation.role },
    });
    return { workspaceId: invitation.workspaceId, workspaceName: invitation.workspaceName, role: invitation.role };
  });
}
