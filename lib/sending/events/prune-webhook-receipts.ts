import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

/**
 * How long a processed webhook delivery is kept. Its svix-id must outlive the provider's
 * retries of the same delivery (Resend: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h, about 28 hours in all), and its outcome is there for an operator to read; a month covers
 * both. What the delivery changed stays: its email event, reply and lead timeline.
 */
export const WEBHOOK_RECEIPT_RETENTION_DAYS = 30;

/** Rows per statement: a first run on a long-lived install deletes months of deliveries without one long transaction. */
const BATCH = 5_000;

/**
 * Deletes processed receipts received before `olderThan`. A receipt never processed (its job
 * failed for good) is kept for the operator: there are few, and it is all that is left of that
 * delivery. Without this, every delivery (up to 256 kB of payload each) stayed for ever.
 */
export async function pruneWebhookReceipts(db: Executor, { olderThan }: { olderThan: Date }): Promise<{ receipts: number }> {
  let receipts = 0;
  for (;;) {
    const deleted = await db.execute<{ id: string }>(sql`
      delete from private.webhook_receipts
      where id in (
        select id from private.webhook_receipts
        where received_at < ${olderThan.toISOString()}::timestamptz and processed_at is not null
        limit ${BATCH})
      returning id`);
    receipts += deleted.length;
    if (deleted.length < BATCH) return { receipts };
  }
}
