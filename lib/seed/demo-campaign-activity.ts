import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { listRepliesTo } from "@/lib/outbox/received";
import { simulateOutboxEvent } from "@/lib/outbox/simulate-outbox-event";
import type { OutboxSimulation } from "@/lib/outbox/simulations";

/** What the demo's first readers do, by the order their emails went out (every third opens). */
export const DEMO_REPLY_TEXT =
  "Thanks for reaching out — this is timely, we are reviewing our pipeline tooling this quarter.\nTuesday at 10:00 works for me. Could you send an invite?";

export function demoReactions(index: number, sent: number): OutboxSimulation[] {
  if (index === 0) return ["opened", "clicked", "replied"];
  if (index === 1 || index === 4) return ["opened", "clicked"];
  // The last of a batch of at least eight bounces: a demo shows what a bounce does to a lead.
  if (sent >= 8 && index === sent - 1) return ["bounced"];
  return index % 3 === 0 ? ["opened"] : [];
}

/** The campaign's emails the provider accepted, in the order they went (their outbox ids). */
export async function sentDemoMessages(
  db: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<string[]> {
  const rows = await db.execute<{ provider_id: string }>(sql`
    select provider_id from public.email_messages
     where workspace_id = ${workspaceId} and campaign_id = ${campaignId} and status = 'sent' and provider_id is not null
     order by sent_at, id limit 200`);
  return rows.map((r) => r.provider_id);
}

/**
 * Plays the demo campaign's first readers through the Dev outbox's own simulations (the same
 * Svix-signed webhooks Resend would send, processed by the real event job): opens and clicks,
 * a reply to the first email (which stops that lead's sequence and notifies its owner) and,
 * in a batch of eight or more, a hard bounce. Development only: the outbox refuses otherwise.
 * Safe to run again: a message that already has a reply gets no second one, and a repeated
 * open or click changes nothing (the funnel keeps the first).
 */
export async function playDemoCampaignActivity(
  db: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<Record<OutboxSimulation, number>> {
  const messages = await sentDemoMessages(db, { workspaceId, campaignId });
  const played: Record<OutboxSimulation, number> = { delivered: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, replied: 0 };
  const actor = { workspaceId, role: "admin" as const };
  for (const [index, messageId] of messages.entries()) {
    for (const kind of demoReactions(index, messages.length)) {
      if (kind === "replied" && (await listRepliesTo(messageId)).length > 0) continue;
      await simulateOutboxEvent(actor, { messageId, kind, ...(kind === "replied" ? { replyText: DEMO_REPLY_TEXT } : {}) });
      played[kind]++;
    }
  }
  return played;
}
