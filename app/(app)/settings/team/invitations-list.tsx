"use client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { useAction } from "@/components/use-action";
import { ROLE_LABELS, type WorkspaceRole } from "@/lib/auth/roles";
import { inviteMember, revokeTeamInvitation } from "./actions";

type Invitation = { id: string; email: string; role: WorkspaceRole; expiresAt: Date; expired: boolean };

export function InvitationsList({ invitations }: { invitations: Invitation[] }) {
  const revoke = useAction(revokeTeamInvitation);
  const resend = useAction(inviteMember);
  if (invitations.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500">No open invitations.</p>;
  return (
    <ul className="divide-y divide-zinc-100">
      {invitations.map((invitation) => (
        <li
          key={invitation.id}
          className="flex items-center justify-between gap-4 px-4 py-2 text-sm"
          data-testid={`invitation-${invitation.email}`}
        >
          <span className="flex items-center gap-2">
            {invitation.email} <Badge tone="accent">{ROLE_LABELS[invitation.role]}</Badge>
            {invitation.expired ? <Badge tone="amber">Expired</Badge> : null}
          </span>
          <span className="flex items-center gap-3 text-xs text-zinc-500">
            {invitation.expired ? "expired" : "expires"} <LocalTime value={invitation.expiresAt} />
            {invitation.expired ? (
              // Inviting the address again replaces this invitation with a new link (createInvitation).
              <Button
                variant="ghost"
                size="sm"
                busy={resend.pending}
                onClick={() =>
                  resend.run(
                    { email: invitation.email, role: invitation.role },
                    { success: `Invitation sent to ${invitation.email} again.` },
                  )
                }
              >
                Send again
              </Button>
            ) : null}
            <ConfirmDialog
              trigger={
                <Button variant="ghost" size="sm" busy={revoke.pending}>
                  Revoke
                </Button>
              }
              title={`Revoke the invitation for ${invitation.email}?`}
              description="The link in their email stops working. You can invite them again at any time."
              confirmLabel="Revoke invitation"
              onConfirm={() => revoke.run({ invitationId: invitation.id }, { success: "Invitation revoked." })}
            />
          </span>
        </li>
      ))}
    </ul>
  );
}
