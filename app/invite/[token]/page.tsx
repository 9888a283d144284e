import type { Metadata } from "next";
import Link from "next/link";
import { getSession } from "@/app/_server/session";
import { AuthCard } from "@/components/auth-card";
import { SignOutButton } from "@/components/sign-out-button";
import { serviceDb } from "@/db";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { assertInvitationUsable, findInvitationByToken } from "@/lib/invitations/find-invitation";
import { AcceptAsCurrentUser, NewAccountForm } from "./accept-forms";

export const metadata: Metadata = { title: "Invitation" };

type Props = { params: Promise<{ token: string }> };

export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const invitation = await findInvitationByToken(serviceDb(), decodeURIComponent(token));
  try {
    assertInvitationUsable(invitation);
  } catch (error) {
    return (
      <AuthCard title="This invitation cannot be used">
        <p className="text-sm text-zinc-700">{error instanceof AppError ? error.message : "This invitation link is not valid."}</p>
        <Link href="/login" className="mt-4 inline-block text-sm font-medium text-accent-600 hover:underline">
          Go to log in
        </Link>
      </AuthCard>
    );
  }

  const session = await getSession();
  const title = `Join ${invitation.workspaceName}`;
  const subtitle = `You were invited as ${ROLE_LABELS[invitation.role]}.`;

  if (session && session.email.toLowerCase() !== invitation.email) {
    return (
      <AuthCard title={title} subtitle={subtitle}>
        <p className="mb-4 text-sm text-zinc-700">
          This invitation was sent to <strong>{invitation.email}</strong>, but you are signed in as <strong>{session.email}</strong>. Log
          out, then open the link again.
        </p>
        <SignOutButton redirectTo={`/invite/${encodeURIComponent(token)}`} />
      </AuthCard>
    );
  }

  if (session) {
    return (
      <AuthCard title={title} subtitle={subtitle}>
        <AcceptAsCurrentUser token={token} workspaceName={invitation.workspaceName} />
      </AuthCard>
    );
  }

  return (
    <AuthCard title={title} subtitle={subtitle}>
      <NewAccountForm token={token} email={invitation.email} />
      <p className="mt-4 text-center text-xs text-zinc-500">
        Already have an account?{" "}
        <Link href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`} className="font-medium text-accent-600 hover:underline">
          Log in to accept
        </Link>
      </p>
    </AuthCard>
  );
}
