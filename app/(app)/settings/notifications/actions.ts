"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import { loadInbox, markNotificationsRead as markRead } from "@/lib/notifications/inbox";
import { setNotificationEmails as setEmails } from "@/lib/notifications/notification-settings";
import { ZMarkNotificationsRead, ZNoInput, ZNotificationEmails } from "@/lib/notifications/schemas";

/** The bell and Settings → Notifications: each member acts on their own notifications only. */

const me = (session: WorkspaceSession) => ({ workspaceId: session.current.workspaceId, userId: session.userId });

export const loadMyNotifications = defineAction({
  name: "loadMyNotifications",
  schema: ZNoInput,
  auth: "workspace.read",
  handler: ({ session, tx }) => loadInbox(tx, me(session)),
});

export const markNotificationsRead = defineAction({
  name: "markNotificationsRead",
  schema: ZMarkNotificationsRead,
  auth: "workspace.read",
  handler: async ({ session, tx }, { ids }) => {
    await markRead(tx, me(session), ids);
    return loadInbox(tx, me(session));
  },
});

export const markAllNotificationsRead = defineAction({
  name: "markAllNotificationsRead",
  schema: ZNoInput,
  auth: "workspace.read",
  handler: async ({ session, tx }) => {
    await markRead(tx, me(session), "all");
    return loadInbox(tx, me(session));
  },
});

export const setNotificationEmails = defineAction({
  name: "setNotificationEmails",
  schema: ZNotificationEmails,
  auth: "workspace.read",
  handler: ({ session, tx }, { emailEnabled }) => setEmails(tx, me(session), emailEnabled),
  revalidate: ["/settings/notifications"],
});
