"use server";
import { defineAction } from "@/app/_server/action";
import { changeMemberRole } from "@/lib/team/change-member-role";
import { removeMember } from "@/lib/team/remove-member";
import { ZChangeMemberRole, ZInviteMember, ZRemoveMember, ZRevokeInvitation } from "@/lib/team/schemas";
import { createInvitation } from "@/lib/invitations/create-invitation";
import { revokeInvitation } from "@/lib/invitations/revoke-invitation";
import { sendInvitationEmail } from "@/lib/invitations/send-invitation-email";

const TEAM_PATH = "/settings/team";

/**
 * The email is sent inside the transaction: if sending fails, the invitation is rolled back
 * and the admin can simply try again (the send is idempotent per invitation id).
 */
export const inviteMember = defineAction({
  name: "inviteMember",
  schema: ZInviteMember,
  auth: "team.manage",
  handler: async ({ session, tx }, { email, role }) => {
    const { invitation, token } = await createInvitation(tx, {
      workspaceId: session.current.workspaceId,
      actorId: session.userId,
      email,
      role,
    });
    await sendInvitationEmail({
      invitationId: invitation.id,
      workspaceId: session.current.workspaceId,
      workspaceName: session.current.workspaceName,
      inviterEmail: session.email,
      email: invitation.email,
      role,
      token,
    });
    return { email: invitation.email };
  },
  revalidate: [TEAM_PATH],
});

export const changeRole = defineAction({
  name: "changeRole",
  schema: ZChangeMemberRole,
  auth: "team.manage",
  handler: async ({ session, tx }, { memberId, role }) => {
    await changeMemberRole(tx, { workspaceId: session.current.workspaceId, actorId: session.userId, memberId, role });
    return { role };
  },
  revalidate: [TEAM_PATH],
});

export const removeTeamMember = defineAction({
  name: "removeTeamMember",
  schema: ZRemoveMember,
  auth: "team.manage",
  handler: async ({ session, tx }, { memberId }) => {
    await removeMember(tx, { workspaceId: session.current.workspaceId, actorId: session.userId, memberId });
    return { removed: memberId };
  },
  revalidate: [TEAM_PATH],
});

export const revokeTeamInvitation = defineAction({
  name: "revokeTeamInvitation",
  schema: ZRevokeInvitation,
  auth: "team.manage",
  handler: async ({ session, tx }, { invitationId }) => {
    await revokeInvitation(tx, { workspaceId: session.current.workspaceId, actorId: session.userId, invitationId });
    return { revoked: invitationId };
  },
  revalidate: [TEAM_PATH],
});
