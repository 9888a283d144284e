"use client";
import { Bell } from "lucide-react";
import { useRouter } from "next/navigation";
import { Popover } from "radix-ui";
import { useCallback, useEffect, useState, useTransition } from "react";
import { loadMyNotifications, markAllNotificationsRead, markNotificationsRead } from "@/app/(app)/settings/notifications/actions";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/actions/execute-action";
import type { Inbox, InboxItem } from "@/lib/notifications/inbox";

/** How often an open app asks for new notifications while the tab is visible. */
const REFRESH_MS = 60_000;

/**
 * The bell in the app shell: unread count, the latest notifications, mark read / all read, and
 * a link to what each is about. The layout renders it with the inbox; it refreshes when opened,
 * when the tab comes back into view, and every minute.
 */
export function NotificationBell({ initial }: { initial: Inbox }) {
  const router = useRouter();
  const [inbox, setInbox] = useState(initial);
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  // A refreshed layout (a server action's revalidation) brings a newer inbox.
  useEffect(() => setInbox(initial), [initial]);

  const apply = useCallback((result: ActionResult<Inbox>, quiet = false) => {
    if (result.ok) setInbox(result.data);
    else if (!quiet) toast.error(result.error);
  }, []);

  const refresh = useCallback(
    (quiet = true) => {
      loadMyNotifications({})
        .then((r) => apply(r, quiet))
        .catch(() => {});
    },
    [apply],
  );

  useEffect(() => {
    const onVisible = () => document.visibilityState === "visible" && refresh();
    const timer = window.setInterval(onVisible, REFRESH_MS);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh]);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) refresh(false);
  }

  function openItem(item: InboxItem) {
    setOpen(false);
    if (!item.read) startTransition(async () => apply(await markNotificationsRead({ ids: [item.id] })));
    router.push(item.link);
  }

  const label = inbox.unread > 0 ? `Notifications, ${inbox.unread} unread` : "Notifications";
  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      <Popover.Trigger asChild>
        <button type="button" aria-label={label} className="relative ml-auto rounded-md p-1.5 text-zinc-600 hover:bg-zinc-100">
          <Bell aria-hidden className="size-4" />
          {inbox.unread > 0 ? (
            <span
              aria-hidden
              data-testid="unread-count"
              className="absolute -top-0.5 -right-0.5 grid h-4 min-w-4 place-items-center rounded-full bg-red-600 px-1 text-[10px] leading-none font-semibold text-white"
            >
              {inbox.unread > 99 ? "99+" : inbox.unread}
            </span>
          ) : null}
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          side="right"
          align="start"
          sideOffset={8}
          aria-label="Notifications"
          className="z-50 w-96 rounded-lg border border-zinc-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-2">
            <h2 className="text-sm font-semibold">Notifications</h2>
            <button
              type="button"
              disabled={inbox.unread === 0 || pending}
              onClick={() => startTransition(async () => apply(await markAllNotificationsRead({})))}
              className="rounded px-1.5 py-0.5 text-xs font-medium text-accent-700 hover:bg-accent-50 disabled:text-zinc-500 disabled:hover:bg-transparent"
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
                        openItem(item);
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
                      disabled={pending}
                      onClick={() => startTransition(async () => apply(await markNotificationsRead({ ids: [item.id] })))}
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
