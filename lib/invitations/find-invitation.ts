import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { invitations, workspaces } from "@/db/schema";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { hashInvitationToken } from "./token";

export type InvitationStatus = "valid" | "expired" | "used" | "revoked";

export type FoundInvitation = {
  id: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  role: WorkspaceRole;
  expiresAt: Date;
  status: InvitationStatus;
};

/**
 * Looks an invitation up by the raw token of its link. Runs on the service executor because
 * the invitee is not a member yet; the token itself is the credential.
 */
export async function findInvitationByToken(db: Executor, token: string, now = new Date()): Promise<FoundInvitation | null> {
  const [row] = await db
    .select({
      id: invitations.id,
      workspaceId: invitations.workspaceId,
      workspaceName: workspaces.name,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
    })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.tokenHash, hashInvitationToken(token)));
  if (!row) return null;
  const { acceptedAt, revokedAt, ...invitation } = row;
  const status: InvitationStatus = acceptedAt ? "used" : revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "valid";
  return { ...invitation, status };
}

/** The message a person sees for an invitation link that cannot be used. */
export function assertInvitationUsable(invitation: FoundInvitation | null): asserts invitation is FoundInvitation {
  if (!invitation) throw new AppError("not_found", "This invitation link is not valid. Ask your admin to send a new one.");
  switch (invitation.status) {
    case "used":
      throw new AppError("conflict", "This invitation has already been used. Log in to continue.");
    case "revoked":
      throw new AppError("expired", "This invitation was withdrawn or replaced by a newer one. Use the latest email, or ask your admin.");
    case "expired":
      throw new AppError("expired", `This invitation expired on ${invitation.expiresAt.toUTCString()}. Ask your admin to send a new one.`);
    case "valid":
      return;
  }
}
