import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { deleteInBatches, DELETE_BATCH } from "@/db/delete-in-batches";

/** Read notifications are kept this long: the bell's history reaches back a quarter. */
export const READ_NOTIFICATION_RETENTION_DAYS = 90;
/** Unread ones this long: by then what they point at has moved on. */
export const UNREAD_NOTIFICATION_RETENTION_DAYS = 365;

/**
 * Deletes the notifications past their retention, for every workspace (the nightly cron): each
 * member gets a few a day, and nothing else ever removed them. Their emails went out within
 * minutes of each (lib/notifications/email-notification.ts), long before either cutoff.
 */
export async function pruneNotifications(
  db: Executor,
  { now, batch = DELETE_BATCH }: { now: Date; batch?: number },
): Promise<{ deleted: number }> {
  const day = 86_400_000;
  const readBefore = new Date(now.getTime() - READ_NOTIFICATION_RETENTION_DAYS * day).toISOString();
  const anyBefore = new Date(now.getTime() - UNREAD_NOTIFICATION_RETENTION_DAYS * day).toISOString();
  const deleted = await deleteInBatches(
    db,
    (limit) => sql`
      with doomed as (
        select id from public.notifications
        where (read_at is not null and created_at < ${readBefore}::timestamptz) or created_at < ${anyBefore}::timestamptz
        limit ${limit}),
      gone as (delete from public.notifications n using doomed where n.id = doomed.id returning 1)
      select count(*)::int as n from gone`,
    batch,
  );
  return { deleted };
}
