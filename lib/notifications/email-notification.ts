import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { notifications } from "@/db/schema";
import { canDeliver } from "@/lib/email/delivery";
import { renderActionEmail } from "@/lib/email/html";
import { sendEmail } from "@/lib/email/send-email";
import { env } from "@/lib/env";
import { linkInWorkspace } from "@/lib/workspaces/workspace-link";

export type NotificationEmailOutcome =
  { notificationId: string; emailed: true } | { notificationId: string; emailed: false; skipped: string };

/**
 * Emails one notification to its recipient (the job's step; service role, scoped by
 * workspace). Sent at most once: a notification already emailed is skipped, and the provider
 * drops a repeat of the same idempotency key, so a retry after a send whose emailed_at was not
 * recorded sends nothing new. Honours the recipient's "email me notifications" switch.
 */
export async function emailNotification(
  db: Executor,
  ref: { workspaceId: string; notificationId: string },
): Promise<NotificationEmailOutcome> {
  const skipped = (why: string): NotificationEmailOutcome => ({ notificationId: ref.notificationId, emailed: false, skipped: why });
  const [row] = await db.execute<{
    title: string;
    body: string | null;
    link: string;
    emailed_at: string | null;
    email: string | null;
    email_enabled: boolean | null;
    workspace_name: string;
    member: boolean;
  }>(sql`
    select n.title, n.body, n.link, n.emailed_at, u.email, s.email_enabled, w.name as workspace_name,
      exists (select 1 from public.workspace_members m where m.workspace_id = n.workspace_id and m.user_id = n.user_id) as member
    from public.notifications n
    join public.workspaces w on w.id = n.workspace_id
    join auth.users u on u.id = n.user_id
    left join public.notification_settings s on s.workspace_id = n.workspace_id and s.user_id = n.user_id
    where n.id = ${ref.notificationId} and n.workspace_id = ${ref.workspaceId}`);
  if (!row) return skipped("The notification no longer exists.");
  if (row.emailed_at) return skipped("Already emailed.");
  // Removed from the workspace since (its notifications stay until their user is deleted): what
  // happens in it is no longer theirs to read, and they can no longer turn these emails off.
  if (!row.member) return skipped("The recipient is no longer a member of the workspace.");
  if (row.email_enabled === false) return skipped("The recipient turned notification emails off.");
  if (!row.email) return skipped("The recipient has no email address.");
  if (!canDeliver("product")) return skipped("Email is not configured on this server.");

  // Opens in this notification's workspace, whichever of theirs the person was last working in.
  const url = `${env().APP_URL}${linkInWorkspace(row.link, ref.workspaceId)}`;
  const { html, text } = renderActionEmail({
    heading: row.title,
    paragraphs: row.body ? [row.body] : [],
    actionLabel: "Open in Lead Intelligence Panel",
    actionUrl: url,
    footer: `You get this email as a member of ${row.workspace_name}. To stop these emails, turn off "Email me notifications" in Settings → Notifications.`,
  });
  await sendEmail({
    kind: "product",
    to: row.email,
    subject: row.title,
    html,
    text,
    tags: [
      { name: "workspace_id", value: ref.workspaceId },
      { name: "category", value: "notification" },
    ],
    idempotencyKey: `notification/${ref.notificationId}`,
  });
  await db
    .update(notifications)
    .set({ emailedAt: sql`now()` as unknown as Date })
    .where(and(eq(notifications.id, ref.notificationId), eq(notifications.workspaceId, ref.workspaceId), isNull(notifications.emailedAt)));
  return { notificationId: ref.notificationId, emailed: true };
}
