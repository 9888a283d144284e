"use client";
import { Bell } from "lucide-react";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, useTransition, type ComponentProps } from "react";
import { loadMyNotifications, markAllNotificationsRead, markNotificationsRead } from "@/app/(app)/settings/notifications/actions";
import { usePagePin } from "@/components/live/live-provider";
import { useLiveEvents, useLiveStatus } from "@/components/live/live-provider";
import { useThrottledRefresh } from "@/components/live/live-refresh";
import { deferred } from "@/components/ui/deferred";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/actions/execute-action";
import type { Inbox, InboxItem } from "@/lib/notifications/inbox";

/** How often an open app asks for new notifications while live updates are not connected. */
const REFRESH_MS = 60_000;

/** What the bell's panel shows and does; the bell keeps the inbox, the panel only draws it. */
export type NotificationPanelProps = {
  inbox: Inbox;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  pending: boolean;
  onOpenItem: (item: InboxItem) => void;
  onMarkRead: (item: InboxItem) => void;
  onMarkAllRead: () => void;
};

/** The panel's Radix popover loads after the first paint; until then the bell is a plain button that opens it. */
const NotificationPanel = deferred<NotificationPanelProps>(
  () => import("./notification-panel").then((m) => m.NotificationPanel),
  ({ inbox, onOpenChange, onOpen }) => (
    <BellButton
      inbox={inbox}
      aria-haspopup="dialog"
      aria-expanded={false}
      onClick={() => {
        onOpenChange(true);
        onOpen();
      }}
    />
  ),
);

/**
 * The bell in the app shell: unread count, the latest notifications, mark read / all read, and
 * a link to what each is about. The layout renders it with the inbox; it refreshes when a
 * notification for this user arrives or is read elsewhere (live updates), when opened, when the
 * tab comes back into view, and every minute while live updates are not connected.
 */
export function NotificationBell({ initial }: { initial: Inbox }) {
  const router = useRouter();
  const [inbox, setInbox] = useState(initial);
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const pin = usePagePin();
  // A refreshed layout (a server action's revalidation) brings a newer inbox.
  useEffect(() => setInbox(initial), [initial]);

  const apply = useCallback((result: ActionResult<Inbox>, quiet = false) => {
    if (result.ok) setInbox(result.data);
    else if (!quiet) toast.error(result.error);
  }, []);

  const refresh = useCallback(
    (quiet = true) => {
      loadMyNotifications({}, pin)
        .then((r) => apply(r, quiet))
        .catch(() => {});
    },
    [apply, pin],
  );

  const live = useLiveStatus() === "live";
  useEffect(() => {
    const onVisible = () => document.visibilityState === "visible" && refresh();
    const timer = live ? undefined : window.setInterval(onVisible, REFRESH_MS);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh, live]);
  const refreshSoon = useThrottledRefresh(() => refresh());
  useLiveEvents(["notification"], refreshSoon);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) refresh(false);
  }

  return (
    <NotificationPanel
      inbox={inbox}
      open={open}
      onOpenChange={onOpenChange}
      pending={pending}
      onOpenItem={(item) => {
        setOpen(false);
        if (!item.read) startTransition(async () => apply(await markNotificationsRead({ ids: [item.id] }, pin)));
        router.push(item.link);
      }}
      onMarkRead={(item) => startTransition(async () => apply(await markNotificationsRead({ ids: [item.id] }, pin)))}
      onMarkAllRead={() => startTransition(async () => apply(await markAllNotificationsRead({}, pin)))}
    />
  );
}

export function BellButton({ inbox, ...props }: { inbox: Inbox } & ComponentProps<"button">) {
  const label = inbox.unread > 0 ? `Notifications, ${inbox.unread} unread` : "Notifications";
  return (
    <button type="button" aria-label={label} className="relative ml-auto rounded-md p-1.5 text-zinc-600 hover:bg-zinc-100" {...props}>
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
  );
}
