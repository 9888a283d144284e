import { Inbox, TriangleAlert } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { OutboxViewer } from "@/components/outbox/outbox-viewer";
import { EmptyState } from "@/components/ui/empty-state";
import { emailDelivery } from "@/lib/email/delivery";
import { listAllOutboxMessages } from "@/lib/outbox/store";

export const metadata: Metadata = { title: "Mail catcher (development)" };

type Props = { searchParams: Promise<{ id?: string }> };

/**
 * The development mail catcher, as MailHog is: every message the server sent, sign-in links
 * included, to anyone who opens the page, signed in or not, so the demo flows (invite, magic
 * link, reset) work without a mail provider. `npm run dev` only: 404 in production whatever
 * the flags, and with a real provider (then mail goes to real inboxes).
 */
export default async function MailCatcherPage({ searchParams }: Props) {
  await connection();
  if (emailDelivery() !== "dev-mail-catcher") notFound();
  const messages = await listAllOutboxMessages();
  const { id } = await searchParams;
  const selected = messages.find((m) => m.id === id) ?? messages[0];

  return (
    <main className="flex h-screen flex-col gap-4 p-6">
      <header className="space-y-2">
        <h1 className="text-base font-semibold text-zinc-900">Mail catcher (development only)</h1>
        <p role="note" className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>
            A development tool: it shows every email this server sent, including sign-in links, password resets and invitations, to anyone
            who opens this page. It exists only in <code>npm run dev</code>; a production server never shows it and never keeps such mail.
          </span>
        </p>
      </header>
      {selected ? (
        <OutboxViewer messages={messages} selected={selected} basePath="/dev/mail" className="min-h-0 flex-1" />
      ) : (
        <EmptyState icon={Inbox} title="No mail yet">
          Request a sign-in link or invite a teammate, and the email appears here.
        </EmptyState>
      )}
    </main>
  );
}
