import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";

export type DeliveryState = "delivered" | "pending" | "retrying" | "failed";

export type WebhookDeliveryView = {
  id: string;
  eventType: string;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
};

type Row = {
  id: string;
  event_type: string;
  attempts: number;
  delivered_at: Date | null;
  failed_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Date | string;
};

/** The webhooks the outbox queued about these emails (a message and its replies), oldest first. */
export async function listWebhookDeliveries(emailIds: string[]): Promise<WebhookDeliveryView[]> {
  if (emailIds.length === 0) return [];
  const rows = await serviceDb().execute<Row>(sql`
    select id, event_type, attempts, delivered_at, failed_at, last_status, last_error, created_at
    from local.outbox_webhook_deliveries
    where email_id = any(${sql.param(emailIds)}::uuid[])
    order by created_at, event_type desc`);
  return rows.map((r) => ({
    id: r.id,
    eventType: r.event_type,
    state: r.delivered_at ? "delivered" : r.failed_at ? "failed" : r.attempts > 0 || r.last_status !== null ? "retrying" : "pending",
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: new Date(r.created_at),
  }));
}
