import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { withUserTx } from "@/db";
import { canDeliver } from "@/lib/email/delivery";
import { getNotificationPreferences } from "@/lib/notifications/notification-settings";
import { EmailSwitch } from "./email-switch";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationSettingsPage() {
  const session = await requirePageSession();
  const prefs = await withUserTx(session.claims, (tx) =>
    getNotificationPreferences(tx, { workspaceId: session.current.workspaceId, userId: session.userId }),
  );
  return (
    <section className="max-w-xl rounded-lg border border-zinc-200 bg-white p-5">
      <h2 className="text-sm font-semibold">Notifications</h2>
      <p className="mt-1 text-sm text-zinc-600">
        The bell shows what needs you in {session.current.workspaceName}: a campaign waiting for approval, and your campaigns approved or
        rejected. Each is also emailed to {session.email} unless you turn that off here, for this workspace.
      </p>
      <EmailSwitch initial={prefs.emailEnabled} />
      {canDeliver("product") ? null : (
        <p role="note" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          Email is not configured on this server, so no notification is emailed whatever you choose. An operator can set RESEND_API_KEY (see
          .env.example).
        </p>
      )}
    </section>
  );
}
