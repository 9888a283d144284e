import type { ReactNode } from "react";
import { pageLiveCursor, requirePageSession } from "@/app/_server/session";
import { AppFrame } from "@/components/shell/app-frame";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { Sidebar } from "@/components/shell/sidebar";
import { UserMenu } from "@/components/shell/user-menu";
import { WorkspaceSwitcher } from "@/components/shell/workspace-switcher";
import { NotificationBell } from "@/components/shell/notification-bell";
import { LiveUpdatesProvider } from "@/components/live/live-provider";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import { loadInbox } from "@/lib/notifications/inbox";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await requirePageSession();
  const items = NAV_ITEMS.filter((item) => can(session.current.role, item.permission));
  const inbox = await withUserTx(session.claims, (tx) =>
    loadInbox(tx, { workspaceId: session.current.workspaceId, userId: session.userId }),
  );
  const since = await pageLiveCursor();
  return (
    // One live-updates connection per open app, for the workspace shown (keyed: a switch reconnects),
    // caught up from where this render began.
    <LiveUpdatesProvider key={session.current.workspaceId} workspaceId={session.current.workspaceId} since={since}>
      <AppFrame
        navigation={
          <Sidebar
            items={items}
            header={<WorkspaceSwitcher memberships={session.memberships} current={session.current} />}
            footer={<UserMenu email={session.email} />}
            bell={<NotificationBell key={session.current.workspaceId} initial={inbox} />}
          />
        }
      >
        {children}
      </AppFrame>
    </LiveUpdatesProvider>
  );
}
