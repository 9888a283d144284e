import "server-only";
import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { notifications, profiles } from "@/db/schema";
import type { NotificationKind } from "@/db/schema/campaign-enums";
import { notFound } from "@/lib/errors";

export type InboxItem = {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string | null;
  link: string;
  actorName: string | null;
  read: boolean;
  createdAt: string;
};

export type Inbox = { unread: number; items: InboxItem[] };

const INBOX_SIZE = 20;

/**
 * The bell: the member's latest notifications in the current workspace and how many are
 * unread. RLS already limits the rows to their own; the filter says so for the reader.
 */
export async function loadInbox(tx: Database, me: { workspaceId: string; userId: string }): Promise<Inbox> {
  const mine = and(eq(notifications.workspaceId, me.workspaceId), eq(notifications.userId, me.userId));
  const [items, [unread]] = await Promise.all([
    tx
      .select({
        id: notifications.id,
        kind: notifications.kind,
        title: notifications.title,
        body: notifications.body,
        link: notifications.link,
        actorName: sql<string | null>`coalesce(${profiles.fullName}, ${profiles.email})`,
        readAt: notifications.readAt,
        createdAt: notifications.createdAt,
      })
      .from(notifications)
      .leftJoin(profiles, eq(profiles.id, notifications.actorId))
      .where(mine)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(INBOX_SIZE),
    tx
      .select({ n: count() })
      .from(notifications)
      .where(and(mine, isNull(notifications.readAt))),
  ]);
  return {
    unread: unread?.n ?? 0,
    items: items.map(({ readAt, createdAt, ...item }) => ({ ...item, read: readAt !== null, createdAt: createdAt.toISOString() })),
  };
}

/** Marks the member's own notifications read; another member's id is not found (RLS hides it). Returns how many changed. */
export async function markNotificationsRead(
  tx: Database,
  me: { workspaceId: string; userId: string },
  ids: readonly string[] | "all",
): Promise<{ marked: number }> {
  if (ids !== "all") {
    const mine = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.workspaceId, me.workspaceId), eq(notifications.userId, me.userId), inArray(notifications.id, [...ids])));
    if (mine.length < new Set(ids).size) throw notFound("That notification");
  }
  const rows = await tx
    .update(notifications)
    .set({ readAt: sql`now()` as unknown as Date })
    .where(
      and(
        eq(notifications.workspaceId, me.workspaceId),
        eq(notifications.userId, me.userId),
        isNull(notifications.readAt),
        ids === "all" ? undefined : inArray(notifications.id, [...ids]),
      ),
    )
    .returning({ id: notifications.id });
  return { marked: rows.length };
}
