import "server-only";
import { sendEmail } from "@/lib/email/send-email";
import { renderActionEmail } from "@/lib/email/html";
import { env } from "@/lib/env";
import { ROLE_LABELS, type WorkspaceRole } from "@/lib/auth/roles";
import { INVITATION_TTL_DAYS } from "./token";

type Input = {
  invitationId: string;
  workspaceId: string;
  workspaceName: string;
  inviterEmail: string;
  email: string;
  role: WorkspaceRole;
  token: string;
};

export function invitationUrl(token: string): string {
  return `${env().APP_URL}/invite/${encodeURIComponent(token)}`;
}

export async function sendInvitationEmail(input: Input): Promise<void> {
  const { html, text } = renderActionEmail({
    heading: `Join ${input.workspaceName} on Lead Intelligence Panel`,
    paragraphs: [
      `${input.inviterEmail} invited you to the workspace ${input.workspaceName} as ${ROLE_LABELS[input.role]}.`,
      `The link works once and expires in ${INVITATION_TTL_DAYS} days.`,
    ],
    actionLabel: "Accept invitation",
    actionUrl: invitationUrl(input.token),
    footer: "If you did not expect this invitation, you can ignore this email.",
  });
  await sendEmail({
    kind: "credential",
    to: input.email,
    subject: `You're invited to ${input.workspaceName}`,
    html,
    text,
    tags: [
      { name: "workspace_id", value: input.workspaceId },
      { name: "category", value: "invitation" },
    ],
    idempotencyKey: `invitation/${input.invitationId}`,
  });
}
