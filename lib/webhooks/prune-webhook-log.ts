import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { deleteInBatches, DELETE_BATCH } from "@/db/delete-in-batches";

/**
 * How long an outgoing webhook event is kept once nothing is left to send: its deliveries and
 * their attempts (the delivery log on Settings → Webhooks) go with it. A month leaves time to
 * read a failure and redeliver it (the retry schedule ends after about 18 hours).
 */
export const WEBHOOK_LOG_RETENTION_DAYS = 30;

/**
 * Deletes, for every workspace (the nightly cron), the outgoing webhook events whose deliveries
 * have all finished (succeeded, or failed for good) and none of them within the retention, with
 * their deliveries and attempts (foreign keys on delete cascade). Without it the log only grew:
 * an endpoint taking lead.updated gets an event per change, each holding the lead's name, email
 * and phone, so an import of a million leads left a million payloads of personal data for ever.
 *
 * Counted from the last delivery's end, not the event's age: an old event an admin redelivered
 * yesterday (or whose endpoint was enabled again after weeks) keeps its fresh failure in view.
 * An event with a delivery still pending is kept whatever its age: its endpoint may be disabled
 * (its deliveries wait for an admin to enable it) or a redelivery was asked for. The deliveries
 * are locked before they are judged, so a redelivery committed while the prune runs is seen (the
 * lock waits for it and reads its row as it left it) and keeps its event, never deleted from
 * under the admin who was told "queued". Each workspace's events are read through its
 * (workspace_id, created_at) index: a night with nothing to delete costs a few index probes.
 */
export async function pruneWebhookLog(
  db: Executor,
  { now, batch = DELETE_BATCH }: { now: Date; batch?: number },
): Promise<{ deleted: number }> {
  const before = new Date(now.getTime() - WEBHOOK_LOG_RETENTION_DAYS * 86_400_000).toISOString();
  const deleted = await deleteInBatches(
    db,
    (limit) => sql`
      with candidates as (
        select old.id
        from public.workspaces w
        cross join lateral (
          select e.id from public.webhook_events e
          where e.workspace_id = w.id and e.created_at < ${before}::timestamptz
            and not exists (
              select 1 from public.webhook_deliveries d
              where d.event_id = e.id and (d.status = 'pending' or d.completed_at >= ${before}::timestamptz))
          limit ${limit}) old
        limit ${limit}),
      locked as materialized (
        select d.event_id, d.status, d.completed_at from public.webhook_deliveries d
        where d.event_id in (select id from candidates)
        for update of d),
      doomed as (
        select c.id from candidates c
        where not exists (
          select 1 from locked l
          where l.event_id = c.id and (l.status = 'pending' or l.completed_at >= ${before}::timestamptz))),
      gone as (delete from public.webhook_events e using doomed where e.id = doomed.id returning 1)
      select count(*)::int as n from gone`,
    batch,
  );
  return { deleted };
}
