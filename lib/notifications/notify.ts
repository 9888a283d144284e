import { randomUUID } from "node:crypto";
import "server-only";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { afterCommit } from "@/db/after-commit";
import type { Database } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { NOTIFICATION_KINDS, type NotificationKind } from "@/db/schema/campaign-enums";
import { WORKSPACE_ROLES, type WorkspaceRole } from "@/lib/auth/roles";
import { sendEvent } from "@/lib/jobs/send-event";

export type NotifyInput = {
  workspaceId: string;
  /**
   * The signed-in member whose transaction this is (RLS checks actor_id = auth.uid()); null when
   * the system tells (a webhook, the bounce breaker), in a service transaction (withServiceTx).
   */
  actorId: string | null;
  /** Members by id, or every member holding one of these roles. The actor is never told of their own act. */
  to: { userIds: readonly string[] } | { roles: readonly WorkspaceRole[] };
  kind: NotificationKind;
  title: string;
  body?: string | null;
  /** An in-app path, e.g. `/campaigns/<id>`. */
  link: string;
  subjectId?: string | null;
};

const ZNotify = z.object({
  workspaceId: z.uuid(),
  actorId: z.uuid().nullable(),
  to: z.union([z.object({ userIds: z.array(z.uuid()).max(1000) }), z.object({ roles: z.array(z.enum(WORKSPACE_ROLES)).min(1) })]),
  kind: z.enum(NOTIFICATION_KINDS),
  // Titles and bodies quote user-named things (a campaign's name): cut to fit, never refused.
  title: z
    .string()
    .trim()
    .min(1)
    .transform((t) => clip(t, 200)),
  body: z
    .string()
    .nullish()
    .transform((b) => (b ? clip(b, 2000) : null)),
  link: z.string().regex(/^\/[^/\\]/, "An in-app path starting with one slash"),
  subjectId: z.uuid().nullish(),
});

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Tells members of one workspace about something, in the caller's RLS transaction (withUserTx, or
 * withServiceTx for the system):
 * the rows exist exactly when the caller's change does. Recipients outside the workspace are
 * dropped (the database's insert function would refuse them anyway). Once the transaction commits, one event
 * asks the email job (inngest/functions/notifications) to email each recipient who wants it.
 */
export async function notify(tx: Database, input: NotifyInput): Promise<{ notificationIds: string[] }> {
  const n = ZNotify.parse(input);
  const recipients = await tx
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(
      and(
        eq(workspaceMembers.workspaceId, n.workspaceId),
        n.actorId ? ne(workspaceMembers.userId, n.actorId) : undefined,
        "userIds" in n.to ? inArray(workspaceMembers.userId, n.to.userIds) : inArray(workspaceMembers.role, n.to.roles),
      ),
    );
  if (recipients.length === 0) return { notificationIds: [] };
  // The ids are made here: the actor may not read rows that are not theirs (RLS).
  const rows = recipients.map(({ userId }) => ({
    id: randomUUID(),
    workspaceId: n.workspaceId,
    userId,
    actorId: n.actorId,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: n.link,
    subjectId: n.subjectId ?? null,
  }));
  // Through the database's own function: a person's token may not insert notifications (0102).
  await tx.execute(
    sql`select private.insert_notifications(${JSON.stringify(
      rows.map((r) => ({
        id: r.id,
        workspace_id: r.workspaceId,
        user_id: r.userId,
        actor_id: r.actorId,
        kind: r.kind,
        title: r.title,
        body: r.body,
        link: r.link,
        subject_id: r.subjectId,
      })),
    )}::jsonb)`,
  );
  const notificationIds = rows.map((r) => r.id);
  afterCommit(tx, "notify", () => requestNotificationEmails(n.workspaceId, notificationIds));
  return { notificationIds };
}

/** Starts the email job for these notifications; the event id makes a repeat a no-op. */
export async function requestNotificationEmails(workspaceId: string, notificationIds: string[]): Promise<void> {
  if (notificationIds.length === 0) return;
  await sendEvent({
    name: "notifications/email.requested",
    data: { workspaceId, notificationIds },
    id: `notification-email-${notificationIds[0]}`,
  });
}
