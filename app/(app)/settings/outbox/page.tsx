import { Inbox } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { MessageEvents } from "@/components/outbox/message-events";
import { OutboxViewer } from "@/components/outbox/outbox-viewer";
import { SimulatePanel } from "@/components/outbox/simulate-panel";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/permissions";
import { emailDelivery, keepsMailInOutbox } from "@/lib/email/delivery";
import { listWebhookDeliveries } from "@/lib/outbox/list-deliveries";
import { listRepliesTo } from "@/lib/outbox/received";
import { listWorkspaceOutbox } from "@/lib/outbox/store";

export const metadata: Metadata = { title: "Outbox" };

type Props = { searchParams: Promise<{ id?: string }> };

/**
 * Product mail this workspace sent, kept in the embedded outbox instead of delivered. Sign-in
 * links, reset links and invitations are never listed here: they belong to their recipient
 * only, and in development they are in the mail catcher (app/dev/mail).
 */
export default async function OutboxPage({ searchParams }: Props) {
  const session = await requirePageSession("outbox.read");
  if (!keepsMailInOutbox()) notFound();
  const messages = await listWorkspaceOutbox(session.current.workspaceId);
  const { id } = await searchParams;
  const selected = messages.find((m) => m.id === id) ?? messages[0];
  const development = emailDelivery() === "dev-mail-catcher";

  const about = (
    <p className="text-sm text-zinc-600">
      No email provider is configured, so the mail {session.current.workspaceName} sends is kept here instead of delivered, and the app is
      told what Resend would report about it (sent, delivered, and what you simulate below a message). Sign-in links, password resets and
      invitations are never shown here
      {development ? (
        <>
          ; in development they are in the{" "}
          <Link href="/dev/mail" className="text-accent-600 underline">
            mail catcher
          </Link>
          .
        </>
      ) : (
        <>: they are not sent until an operator configures email.</>
      )}
    </p>
  );

  if (!selected) {
    return (
      <div className="space-y-4">
        {about}
        <EmptyState icon={Inbox} title="No mail yet">
          Campaign emails and notifications of this workspace appear here.
        </EmptyState>
      </div>
    );
  }
  const replies = await listRepliesTo(selected.id);
  const deliveries = await listWebhookDeliveries([selected.id, ...replies.map((r) => r.id)]);
  const details = (
    <div className="grid gap-4 md:grid-cols-2">
      <MessageEvents deliveries={deliveries} replies={replies} />
      {can(session.current.role, "outbox.simulate") ? <SimulatePanel key={selected.id} messageId={selected.id} /> : null}
    </div>
  );
  return (
    <div className="space-y-4">
      {about}
      <OutboxViewer
        messages={messages}
        selected={selected}
        basePath="/settings/outbox"
        className="h-[calc(100vh-15rem)]"
        details={details}
      />
    </div>
  );
}
