import { z } from "zod";
import { ZEmail } from "@/lib/auth/schemas";
import { WORKSPACE_ROLES } from "@/lib/auth/roles";

const ZRole = z.enum(WORKSPACE_ROLES, { message: "Choose a role." });
const ZId = (what: string) => z.uuid(`${what} is not valid.`);

export const ZInviteMember = z.object({ email: ZEmail, role: ZRole });
export const ZChangeMemberRole = z.object({ memberId: ZId("That member"), role: ZRole });
export const ZRemoveMember = z.object({ memberId: ZId("That member") });
export const ZRevokeInvitation = z.object({ invitationId: ZId("That invitation") });
export const ZSwitchWorkspace = z.object({ workspaceId: ZId("That workspace") });

export type InviteMemberInput = z.infer<typeof ZInviteMember>;
