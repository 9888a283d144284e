import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { serviceDb, type Executor } from "@/db";
import type { OutboxMessage } from "./store";
import { newWebhookId } from "./webhook-signature";

/** The Resend webhook events the outbox emits (Resend's names; DESIGN.md §4). */
export type OutboxEventType =
  | "email.sent"
  | "email.delivered"
  | "email.delivery_delayed"
  | "email.opened"
  | "email.clicked"
  | "email.bounced"
  | "email.complained"
  | "email.failed"
  | "email.received";

/** A header's value whatever the casing its sender used (headers are case-insensitive). */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** The RFC Message-ID the recipient saw: the sender's own header, else the one the outbox gave it. */
export function rfcMessageIdOf(message: Pick<OutboxMessage, "id" | "headers">): string {
  return headerValue(message.headers, "message-id") ?? `<${message.id}@outbox.lip.localhost>`;
}

/**
 * The `data` Resend sends for an outbound email's events. Tags go as an object map, as in
 * Resend's event examples and the SDK's type (its other docs show an array: receivers accept both).
 */
export function outboundEventData(message: OutboxMessage): Record<string, unknown> {
  return {
    email_id: message.id,
    created_at: message.createdAt.toISOString(),
    from: message.fromAddress,
    to: message.toAddresses,
    subject: message.subject,
    message_id: rfcMessageIdOf(message),
    tags: Object.fromEntries(message.tags.map((tag) => [tag.name, tag.value])),
  };
}

/** Resend's envelope, serialised once: the exact bytes every attempt signs and sends. */
export function webhookBody(type: OutboxEventType, data: Record<string, unknown>, at = new Date()): string {
  return JSON.stringify({ type, created_at: at.toISOString(), data });
}

export type QueuedDelivery = { type: OutboxEventType; emailId: string; data: Record<string, unknown>; afterSeconds?: number };

/**
 * Queues webhook deliveries (local.outbox_webhook_deliveries) in `db`'s transaction, so an event
 * exists exactly when what it announces does. The delivery loop (webhook-delivery.ts) sends them.
 * Returns their svix-ids.
 */
export async function queueWebhookDeliveries(db: Executor, deliveries: QueuedDelivery[]): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const inserted = await db.execute<{ id: string }>(sql`${insertWebhookDeliveries(deliveries)} returning id`);
  return inserted.map((row) => row.id);
}

/**
 * The INSERT statement of queueWebhookDeliveries, for a caller that writes it in one statement
 * with others; `onlyIf`, a condition on those others (the deliveries are written only when it holds).
 */
export function insertWebhookDeliveries(deliveries: QueuedDelivery[], { onlyIf }: { onlyIf?: SQL } = {}): SQL {
  const now = Date.now();
  const rows = deliveries.map((d) => {
    const at = new Date(now + (d.afterSeconds ?? 0) * 1000).toISOString();
    return sql`(${newWebhookId()}, ${d.type}, ${d.emailId}::uuid, ${webhookBody(d.type, d.data, new Date(at))}, ${at}::timestamptz, ${at}::timestamptz)`;
  });
  const values = sql`values ${sql.join(rows, sql`, `)}`;
  return sql`
    insert into local.outbox_webhook_deliveries (id, event_type, email_id, body, next_attempt_at, created_at)
    ${onlyIf ? sql`select * from (${values}) v where ${onlyIf}` : values}`;
}

/**
 * Announces an event about an outbound message to the app's webhook route, signed and retried
 * like Resend's: `extra` joins the event's data (`bounce`, `click`, …).
 */
export async function emitOutboxEvent(
  type: Exclude<OutboxEventType, "email.received">,
  message: OutboxMessage,
  extra: Record<string, unknown> = {},
  options: { db?: Executor; afterSeconds?: number } = {},
): Promise<string> {
  const [id] = await queueWebhookDeliveries(options.db ?? serviceDb(), [
    { type, emailId: message.id, data: { ...outboundEventData(message), ...extra }, afterSeconds: options.afterSeconds },
  ]);
  return id!;
}
