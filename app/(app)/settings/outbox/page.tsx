import { Inbox } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { describeServices, env } from "@/lib/env";
import { extractLinks } from "@/lib/outbox/extract-links";
import { listOutboxMessagesForWorkspace } from "@/lib/outbox/store";

export const metadata: Metadata = { title: "Dev outbox" };

type Props = { searchParams: Promise<{ id?: string }> };

/**
 * The embedded Resend's mailbox. Message HTML is shown in a sandboxed iframe (no scripts, no
 * same-origin access), so a hostile email cannot run code in the app.
 */
export default async function OutboxPage({ searchParams }: Props) {
  const session = await requirePageSession("outbox.read");
  if (describeServices(env()).email !== "local-outbox") notFound();
  const messages = await listOutboxMessagesForWorkspace(session.current.workspaceId);
  const { id } = await searchParams;
  const selected = messages.find((m) => m.id === id) ?? messages[0];

  if (!selected) {
    return (
      <EmptyState icon={Inbox} title="The outbox is empty">
        With no RESEND_API_KEY set, email is delivered here instead of to real inboxes. Invite a teammate to see one arrive.
      </EmptyState>
    );
  }
  const links = extractLinks(selected.textBody ?? "");
  return (
    <div className="grid h-[calc(100vh-12rem)] grid-cols-[20rem_1fr] overflow-hidden rounded-lg border border-zinc-200 bg-white">
      <ul aria-label="Messages" className="divide-y divide-zinc-100 overflow-auto border-r border-zinc-200">
        {messages.map((m) => (
          <li key={m.id}>
            <Link
              href={`/settings/outbox?id=${m.id}`}
              aria-current={m.id === selected.id ? "true" : undefined}
              className={cn("block px-3 py-2 text-sm", m.id === selected.id ? "bg-accent-50" : "hover:bg-zinc-50")}
            >
              <span className="block truncate font-medium">{m.subject}</span>
              <span className="block truncate text-xs text-zinc-500">to {m.toAddresses.join(", ")}</span>
              <span className="block text-xs text-zinc-400">
                <LocalTime value={m.createdAt} withTime />
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <article className="flex min-h-0 flex-col" aria-label="Message">
        <header className="space-y-0.5 border-b border-zinc-200 px-4 py-3 text-sm">
          <h2 className="font-semibold">{selected.subject}</h2>
          <p className="text-xs text-zinc-500">
            From {selected.fromAddress} to {selected.toAddresses.join(", ")}
          </p>
          {links.length ? (
            <p className="pt-1 text-xs">
              Links:{" "}
              {links.map((href) => (
                <a key={href} href={href} className="mr-3 break-all text-accent-600 hover:underline" data-testid="outbox-link">
                  {href}
                </a>
              ))}
            </p>
          ) : null}
        </header>
        {selected.html ? (
          <iframe
            title="Message body"
            sandbox="allow-popups allow-popups-to-escape-sandbox"
            srcDoc={`<base target="_blank">${selected.html}`}
            className="min-h-0 flex-1"
          />
        ) : (
          <pre className="flex-1 overflow-auto p-4 text-sm whitespace-pre-wrap">{selected.textBody}</pre>
        )}
      </article>
    </div>
  );
}
