"use server";
import { defineAction } from "@/app/_server/action";
import { changeMemberRole } from "@/lib/team/change-member-role";
import { removeMember } from "@/lib/team/remove-member";
import { ZChangeMemberRole, ZInviteMember, ZRemoveMember, ZRevokeInvitation } from "@/lib/team/schemas";
import { inviteToWorkspace } from "@/lib/invitations/invite-to-workspace";
import { revokeInvitation } from "@/lib/invitations/revoke-invitation";

const TEAM_PATH = "/settings/team";

export const inviteMember = defineAction({
  name: "inviteMember",
  schema: ZInviteMember,
  auth: "team.manage",
  handler: ({ session, tx }, { email, role }) =>
    inviteToWorkspace(tx, {
      workspace: { id: session.current.workspaceId, name: session.current.workspaceName },
      inviter: { id: session.userId, email: session.email },
      email,
      role,
    }),
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
