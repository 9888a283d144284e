import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { notificationSettings } from "@/db/schema";

export type NotificationPreferences = { emailEnabled: boolean };

/** The member's own choices in this workspace; without a row, the defaults (emails on). */
export async function getNotificationPreferences(
  tx: Database,
  me: { workspaceId: string; userId: string },
): Promise<NotificationPreferences> {
  const [row] = await tx
    .select({ emailEnabled: notificationSettings.emailEnabled })
    .from(notificationSettings)
    .where(and(eq(notificationSettings.workspaceId, me.workspaceId), eq(notificationSettings.userId, me.userId)));
  return { emailEnabled: row?.emailEnabled ?? true };
}

/** "Email me notifications": only ever the signed-in member's own row (RLS refuses any other). */
export async function setNotificationEmails(
  tx: Database,
  me: { workspaceId: string; userId: string },
  emailEnabled: boolean,
): Promise<NotificationPreferences> {
  await tx
    .insert(notificationSettings)
    .values({ workspaceId: me.workspaceId, userId: me.userId, emailEnabled })
    .onConflictDoUpdate({
      target: [notificationSettings.workspaceId, notificationSettings.userId],
      // Only email_enabled may be updated (migration 0023); a trigger touches updated_at.
      set: { emailEnabled },
    });
  return { emailEnabled };
}
