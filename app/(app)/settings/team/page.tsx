import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { withUserTx } from "@/db";
import { canDeliver } from "@/lib/email/delivery";
import { listOpenInvitations } from "@/lib/invitations/list-invitations";
import { listMembers } from "@/lib/team/list-members";
import { InvitationsList } from "./invitations-list";
import { InviteForm } from "./invite-form";
import { MembersTable } from "./members-table";

export const metadata: Metadata = { title: "Team" };

export default async function TeamSettingsPage() {
  const session = await requirePageSession("team.manage");
  const workspaceId = session.current.workspaceId;
  const [members, invitations] = await withUserTx(session.claims, (tx) =>
    Promise.all([listMembers(tx, { workspaceId }), listOpenInvitations(tx, { workspaceId })]),
  );
  return (
    <div className="max-w-4xl space-y-6">
      <section className="rounded-lg border border-zinc-200 bg-white p-5">
        <h2 className="mb-3 text-sm font-semibold">Invite a teammate</h2>
        {canDeliver("credential") ? null : (
          <p role="note" className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            Email is not configured on this server, so invitations cannot be sent: an invitation link must reach the invitee by email. An
            operator can set RESEND_API_KEY (see .env.example).
          </p>
        )}
        <InviteForm />
      </section>
      <section className="rounded-lg border border-zinc-200 bg-white">
        <h2 className="border-b border-zinc-200 px-4 py-3 text-sm font-semibold">Members ({members.length})</h2>
        <MembersTable members={members} currentUserId={session.userId} />
      </section>
      <section className="rounded-lg border border-zinc-200 bg-white">
        <h2 className="border-b border-zinc-200 px-4 py-3 text-sm font-semibold">Open invitations</h2>
        <InvitationsList invitations={invitations} />
      </section>
    </div>
  );
}
