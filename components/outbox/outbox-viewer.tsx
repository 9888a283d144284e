import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { extractLinks } from "@/lib/outbox/extract-links";
import type { OutboxMessage } from "@/lib/outbox/store";
import { messageFrameDocument } from "./message-frame";

type Props = {
  messages: OutboxMessage[];
  selected: OutboxMessage;
  basePath: string;
  className?: string;
  /** Shown above the selected message's body (the Outbox page's events and simulate actions). */
  details?: ReactNode;
};

/**
 * A mailbox: the list of messages and the selected one. Message HTML is shown in a sandboxed
 * frame (no scripts, no same-origin access) under its own no-remote-loads policy, so a hostile
 * or tracking email can neither run code in the app nor call home.
 */
export function OutboxViewer({ messages, selected, basePath, className, details }: Props) {
  const links = extractLinks(selected.textBody ?? "");
  return (
    <div className={cn("grid grid-cols-[20rem_1fr] overflow-hidden rounded-lg border border-zinc-200 bg-white", className)}>
      <ul aria-label="Messages" className="divide-y divide-zinc-100 overflow-auto border-r border-zinc-200">
        {messages.map((m) => (
          <li key={m.id}>
            <Link
              href={`${basePath}?id=${m.id}`}
              aria-current={m.id === selected.id ? "true" : undefined}
              className={cn("block px-3 py-2 text-sm", m.id === selected.id ? "bg-accent-50" : "hover:bg-zinc-50")}
            >
              <span className="block truncate font-medium">{m.subject}</span>
              <span className="block truncate text-xs text-zinc-600">to {m.toAddresses.join(", ")}</span>
              <span className="block text-xs text-zinc-600">
                <LocalTime value={m.createdAt} withTime />
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <article className="flex min-h-0 flex-col" aria-label="Message">
        <header className="space-y-0.5 border-b border-zinc-200 px-4 py-3 text-sm">
          <h2 className="font-semibold">{selected.subject}</h2>
          <p className="text-xs text-zinc-600">
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
        {details ? <div className="max-h-[45%] shrink-0 overflow-auto border-b border-zinc-200 px-4 py-3">{details}</div> : null}
        {selected.html ? (
          <iframe
            title="Message body"
            sandbox="allow-popups allow-popups-to-escape-sandbox"
            srcDoc={messageFrameDocument(selected.html)}
            className="min-h-0 flex-1"
          />
        ) : (
          <pre tabIndex={0} aria-label="Text part" className="flex-1 overflow-auto p-4 text-sm whitespace-pre-wrap">
            {selected.textBody}
          </pre>
        )}
      </article>
    </div>
  );
}
