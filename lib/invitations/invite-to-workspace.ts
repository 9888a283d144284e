import "server-only";
import type { Executor } from "@/db";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { assertCanDeliver } from "@/lib/email/delivery";
import { AppError } from "@/lib/errors";
import { invitationEmailsPerUser } from "@/lib/rate-limit/policies";
import { RateLimitedError, tryAgainMessage } from "@/lib/rate-limit/rate-limited";
import { consumeRequest } from "@/lib/rate-limit/request-limit";
import { createInvitation } from "./create-invitation";
import { sendInvitationEmail } from "./send-invitation-email";

type Input = {
  workspace: { id: string; name: string };
  inviter: { id: string; email: string };
  email: string;
  role: WorkspaceRole;
};

/**
 * Creates the invitation and emails its link. The email is sent inside the caller's
 * transaction: if sending fails the invitation is rolled back and the admin can simply try
 * again (the send is idempotent per invitation id).
 *
 * Each email counts against the inviter's hourly limit (invitationEmailsPerUser), once the
 * invitation is valid; past it nothing is created.
 *
 * Without a way to deliver the link to the invitee it refuses before creating anything. The
 * link is never shown to the inviting admin instead: it proves control of the address, and
 * whoever holds it can create the invitee's account (DESIGN.md §11).
 */
export async function inviteToWorkspace(tx: Executor, { workspace, inviter, email, role }: Input): Promise<{ email: string }> {
  assertCanDeliver("credential");
  const { invitation, token } = await createInvitation(tx, { workspaceId: workspace.id, actorId: inviter.id, email, role });
  try {
    await consumeRequest(invitationEmailsPerUser(), inviter.id);
  } catch (error) {
    if (error instanceof RateLimitedError) {
      throw new AppError(
        "rate_limited",
        tryAgainMessage(error.retryAfterSeconds, "You have sent as many invitations as allowed in an hour"),
      );
    }
    throw error;
  }
  await sendInvitationEmail({
    invitationId: invitation.id,
    workspaceId: workspace.id,
    workspaceName: workspace.name,
    inviterEmail: inviter.email,
    email: invitation.email,
    role,
    token,
  });
  return { email: invitation.email };
}
