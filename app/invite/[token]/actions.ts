"use server";
import { cookies } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { setCurrentWorkspace } from "@/app/_server/session";
import { serviceDb } from "@/db";
import { ZInvitationToken, ZNewUserInvitation } from "@/lib/auth/schemas";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { acceptInvitationAsNewUser } from "@/lib/invitations/accept-invitation-as-new-user";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { createSupabaseServerClient } from "@/lib/supabase/server";

/** The invitation token is the credential here: the invitee has no account yet. */
export const acceptInvitationWithNewAccount = defineAction({
  name: "acceptInvitationWithNewAccount",
  schema: ZNewUserInvitation,
  auth: "public",
  handler: async (_context, input) => {
    const accepted = await acceptInvitationAsNewUser(serviceDb(), createSupabaseAdminClient(), input);
    const supabase = createSupabaseServerClient(await cookies());
    const { error } = await supabase.auth.signInWithPassword({ email: accepted.email, password: input.password });
    if (error) throw new Error(`sign-in after accepting failed: ${error.code ?? error.status}`);
    await setCurrentWorkspace(accepted.workspaceId);
    return { redirectTo: "/", workspaceName: accepted.workspaceName };
  },
});

export const acceptInvitationAsSignedInUser = defineAction({
  name: "acceptInvitationAsSignedInUser",
  schema: ZInvitationToken,
  auth: "signed-in",
  handler: async ({ session }, { token }) => {
    const accepted = await acceptInvitation(serviceDb(), { token, userId: session.userId, email: session.email });
    await setCurrentWorkspace(accepted.workspaceId);
    return { redirectTo: "/", workspaceName: accepted.workspaceName };
  },
  revalidate: ["/"],
});
