"use client";
import { Popover } from "radix-ui";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { BellButton, type NotificationPanelProps } from "./notification-bell";
import { useWideScreen } from "./wide-screen";

/** The bell's popover: the latest notifications with their links and read controls. */
export function NotificationPanel({ inbox, open, onOpenChange, pending, onOpenItem, onMarkRead, onMarkAllRead }: NotificationPanelProps) {
  const wide = useWideScreen();
  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      <Popover.Trigger asChild>
        <BellButton inbox={inbox} />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          // Beside the sidebar on a wide screen; below the bell in the phone's drawer, where there
          // is no room beside it, shifted and narrowed to stay on the screen.
          side={wide ? "right" : "bottom"}
          align="start"
          sideOffset={8}
          collisionPadding={8}
          aria-label="Notifications"
          className="z-50 w-[min(24rem,calc(100vw-1rem))] rounded-lg border border-zinc-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-2">
            <h2 className="text-sm font-semibold">Notifications</h2>
            {/* aria-disabled, not disabled, once all are read: the focus stays on it (see Button's `busy`). */}
            <button
              type="button"
              aria-disabled={inbox.unread === 0 || pending || undefined}
              onClick={() => {
                if (inbox.unread > 0 && !pending) onMarkAllRead();
              }}
              className="rounded px-1.5 py-0.5 text-xs font-medium text-accent-700 hover:bg-accent-50 aria-disabled:text-zinc-500 aria-disabled:hover:bg-transparent"
            >
              Mark all read
            </button>
          </div>
          {inbox.items.length === 0 ? (
            <p className="px-3 py-6 text-center text-sm text-zinc-500">No notifications yet.</p>
          ) : (
            <ul className="max-h-[28rem] divide-y divide-zinc-100 overflow-y-auto">
              {inbox.items.map((item) => (
                <li key={item.id} className={cn("flex gap-2 px-3 py-2.5", !item.read && "bg-accent-50/60")}>
                  <span aria-hidden className={cn("mt-1.5 size-2 shrink-0 rounded-full", item.read ? "bg-transparent" : "bg-accent-600")} />
                  <div className="min-w-0 flex-1">
                    <a
                      href={item.link}
                      onClick={(event) => {
                        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                        event.preventDefault();
                        onOpenItem(item);
                      }}
                      className={cn("block text-sm hover:underline", item.read ? "text-zinc-700" : "font-semibold text-zinc-900")}
                    >
                      {item.title}
                      {item.read ? null : <span className="sr-only"> (unread)</span>}
                    </a>
                    {item.body ? <p className="mt-0.5 line-clamp-2 text-xs whitespace-pre-line text-zinc-600">{item.body}</p> : null}
                    <p className="mt-1 text-xs text-zinc-500">
                      {item.actorName ? `${item.actorName} · ` : null}
                      <LocalTime value={item.createdAt} withTime />
                    </p>
                  </div>
                  {item.read ? null : (
                    <button
                      type="button"
                      aria-disabled={pending || undefined}
                      onClick={(event) => {
                        if (pending) return;
                        // The button goes once the item is read: the focus moves to its link first.
                        event.currentTarget.closest("li")?.querySelector("a")?.focus();
                        onMarkRead(item);
                      }}
                      className="h-fit shrink-0 rounded px-1.5 py-0.5 text-xs text-zinc-600 hover:bg-zinc-100"
                    >
                      Mark read
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
