import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { storeInstantlyEmails } from "../raw-store";
import { reflectInstantlyLeads, reflectInstantlyReplies, type Reflected } from "../reflect-on-leads";
import { ZInstantlyWebhookReceipt, type InstantlyWebhookEvent } from "./payload";

export type InstantlyWebhookOutcome = { outcome: string; reflected?: Reflected };

/**
 * Reflects one stored Instantly delivery on our leads (the job behind the webhook route), in
 * one transaction with the receipt marked done, so a retried or replayed run changes nothing:
 * - `reply_received`: the reply is stored in the raw layer under its Unibox id (`email_id`)
 *   and, the first time, reaches the lead as the sync's replies do (timeline, `replied`,
 *   enrollments ended). The sync that later reads the same email from GET /emails finds it
 *   stored and notes nothing twice. An address no lead of ours has becomes a lead first
 *   (lead-from-reply.ts), unless its lead was deleted here.
 * - `email_bounced` / `lead_unsubscribed`: as a lead Instantly lists as bounced or
 *   unsubscribed (reflect-on-leads.ts): the lead moves, its timeline says so, the address is
 *   suppressed, with or without a lead of ours (we never mail it later). Idempotent in itself.
 * - anything else (opens, clicks, sends, labels): kept in the receipt only; the hourly sync
 *   brings the numbers.
 */
export async function processInstantlyWebhookReceipt(receiptId: string): Promise<InstantlyWebhookOutcome> {
  return serviceDb().transaction(async (tx) => {
    const [receipt] = await tx.execute<{ delivery_id: string; payload: unknown; processed_at: string | null; outcome: string | null }>(sql`
      select delivery_id, payload, processed_at, outcome from private.webhook_receipts
      where id = ${receiptId} and provider = 'instantly' for update`);
    if (!receipt) return { outcome: "receipt not found" };
    if (receipt.processed_at) return { outcome: `already processed: ${receipt.outcome ?? ""}`.trim() };
    const parsed = ZInstantlyWebhookReceipt.safeParse(receipt.payload);
    const result: InstantlyWebhookOutcome = parsed.success
      ? await reflect(tx, parsed.data.workspaceId, parsed.data.event, receipt.delivery_id)
      : { outcome: "not an Instantly event: ignored" };
    await tx.execute(sql`
      update private.webhook_receipts set processed_at = now(), outcome = ${result.outcome.slice(0, 500)} where id = ${receiptId}`);
    return result;
  });
}

type Tx = Parameters<Parameters<ReturnType<typeof serviceDb>["transaction"]>[0]>[0];

async function reflect(tx: Tx, workspaceId: string, event: InstantlyWebhookEvent, deliveryId: string): Promise<InstantlyWebhookOutcome> {
  const email = event.lead_email?.trim() || null;
  switch (event.event_type) {
    case "reply_received": {
      if (!email) return { outcome: "reply without lead_email: ignored" };
      const stored = {
        ...event,
        id: event.email_id || deliveryId,
        timestamp_created: event.timestamp,
        lead: email,
        from_address_email: email,
        subject: event.reply_subject ?? null,
        is_auto_reply: false,
        received_by: "webhook",
      };
      const [row] = await storeInstantlyEmails(tx, workspaceId, [stored]);
      if (!row?.inserted) return { outcome: "reply already known from the sync: nothing noted again" };
      const reflected = await reflectInstantlyReplies(tx, workspaceId, [stored]);
      if (reflected.replied === 0)
        return { outcome: "reply from an address that cannot be a lead here: kept in Instantly's emails only", reflected };
      const added = reflected.added > 0 ? ` (added as a lead: no lead had the address)` : "";
      return { outcome: `reply noted on ${reflected.replied} lead(s)${added}`, reflected };
    }
    case "email_bounced":
    case "lead_unsubscribed": {
      if (!email) return { outcome: `${event.event_type} without lead_email: ignored` };
      const status = event.event_type === "email_bounced" ? -1 : -2;
      const reflected = await reflectInstantlyLeads(tx, workspaceId, [{ id: deliveryId, email, status }]);
      const moved = reflected.bounced + reflected.unsubscribed;
      return { outcome: `${event.event_type}: address suppressed, ${moved} lead(s) moved`, reflected };
    }
    default:
      return { outcome: `${event.event_type}: stored, not reflected on leads (the hourly sync brings its numbers)` };
  }
}
