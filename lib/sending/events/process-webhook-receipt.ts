import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb, withServiceTx, type Database } from "@/db";
import { applyOutboundEvent, isOutboundEventType, type EventOutcome } from "./apply-outbound-event";
import { findEventMessage } from "./find-message";
import { fetchReceivedEmail, type ReceivedEmail } from "./inbound/fetch-received-email";
import { isMailtoUnsubscribe, unsubscribeByEmail } from "./inbound/mailto-unsubscribe";
import { recordReply } from "./inbound/record-reply";
import { occurredAt, ZOutboundEventData, ZReceivedEventData, ZResendEnvelope } from "./resend-payload";

/** Timestamps as postgres.js returns them from a raw query: text. */
type Receipt = {
  id: string;
  delivery_id: string;
  payload: unknown;
  received_at: string;
  processed_at: string | null;
  outcome: string | null;
};

async function loadReceipt(db: Database, receiptId: string, lock = false): Promise<Receipt | undefined> {
  const [receipt] = await db.execute<Receipt>(sql`
    select id, delivery_id, payload, received_at, processed_at, outcome from private.webhook_receipts
    where id = ${receiptId} and provider = 'resend' ${lock ? sql`for update` : sql``}`);
  return receipt;
}

/**
 * Processes one stored Resend delivery (the job behind the webhook route): outbound events are
 * applied to their message (apply-outbound-event.ts); `email.received` is fetched through the
 * SDK first, outside any transaction, then stored as a reply (inbound/record-reply.ts). Each
 * receipt is processed once: its row is locked and marked with the outcome in the same
 * transaction as the effects, so a retried or replayed run finds it done.
 */
export async function processWebhookReceipt(receiptId: string): Promise<EventOutcome> {
  const db = serviceDb();
  const first = await loadReceipt(db, receiptId);
  if (!first) return { outcome: "receipt not found" };
  if (first.processed_at) return replayed(db, first);
  const envelope = ZResendEnvelope.safeParse(first.payload);
  if (!envelope.success) return finish(receiptId, async () => ({ outcome: "not a Resend event: ignored" }));
  const { type, data } = envelope.data;
  const at = occurredAt(envelope.data, new Date(first.received_at));

  if (type === "email.received") {
    const parsed = ZReceivedEventData.safeParse(data);
    if (!parsed.success) return finish(receiptId, async () => ({ outcome: "malformed email.received: ignored" }));
    const received: ReceivedEmail | null = await fetchReceivedEmail(parsed.data.email_id);
    if (!received) return finish(receiptId, async () => ({ outcome: "the received email is unknown to the provider: ignored" }));
    if (isMailtoUnsubscribe(received)) {
      const unsubscribed = await unsubscribeByEmail(db, received);
      return finish(receiptId, async () => ({
        outcome:
          unsubscribed > 0
            ? `unsubscribe by email: ${unsubscribed} lead(s) unsubscribed`
            : "unsubscribe by email from an address never mailed: ignored",
      }));
    }
    return finish(receiptId, (tx) => recordReply(tx, { received, deliveryId: first.delivery_id, occurredAt: at }));
  }
  if (!isOutboundEventType(type)) return finish(receiptId, async () => ({ outcome: `${type}: not an email event, ignored` }));
  const parsed = ZOutboundEventData.safeParse(data);
  if (!parsed.success) return finish(receiptId, async () => ({ outcome: `malformed ${type}: ignored` }));
  return finish(receiptId, (tx) =>
    applyOutboundEvent(tx, { type, data: parsed.data, raw: data, occurredAt: at, deliveryId: first.delivery_id }),
  );
}

/**
 * What a processed receipt concluded, for a run that finds it done (a retry after the commit, a
 * replay, a concurrent run): the same outcome and, after a hard bounce or a complaint, the same
 * breaker check, so a crash between the two steps cannot skip the breaker.
 */
async function replayed(db: Database, receipt: Receipt): Promise<EventOutcome> {
  const outcome = receipt.outcome ?? "processed";
  if (!/^(hard bounce|complaint):/.test(outcome)) return { outcome };
  const envelope = ZResendEnvelope.safeParse(receipt.payload);
  const data = envelope.success ? ZOutboundEventData.safeParse(envelope.data.data) : null;
  const found = data?.success ? await findEventMessage(db, data.data) : null;
  if (!found || !("message" in found)) return { outcome };
  return { outcome, breakerCheck: { workspaceId: found.message.workspaceId, campaignId: found.message.campaignId } };
}

/** Runs the effects and marks the receipt processed in one transaction, unless a concurrent run did already. */
async function finish(receiptId: string, work: (tx: Database) => Promise<EventOutcome>): Promise<EventOutcome> {
  return withServiceTx(async (tx) => {
    const receipt = await loadReceipt(tx, receiptId, true);
    if (!receipt) return { outcome: "receipt not found" };
    if (receipt.processed_at) return replayed(tx, receipt);
    const result = await work(tx);
    await tx.execute(
      sql`update private.webhook_receipts set processed_at = now(), outcome = ${result.outcome.slice(0, 500)} where id = ${receiptId}`,
    );
    return result;
  });
}
