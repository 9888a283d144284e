import "server-only";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Database } from "@/db";
import { afterCommit, hasAfterCommit } from "@/db/after-commit";
import { replyClassifications } from "@/db/schema";
import { sendEvent, type SendableEvent } from "@/lib/jobs/send-event";
import type { ReplySource } from "./reply-categories";

export type StoredReply = {
  workspaceId: string;
  source: ReplySource;
  /** email_replies.id, or Instantly's email id. */
  replyKey: string;
  leadId: string;
  campaignId: string | null;
  enrollmentId: string | null;
  fromAddress: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  receivedAt: Date;
};

const MAX_BODY = 20_000;

/**
 * Called in the transaction that stores a lead's reply (Resend inbound, the Instantly webhook and
 * sync): the reply waits `pending` for the classification job, which the event starts once the
 * transaction has committed. A reply already queued (a redelivery) queues nothing.
 */
export async function queueReplyClassification(tx: Database, reply: StoredReply): Promise<string | null> {
  const [row] = await tx
    .insert(replyClassifications)
    .values(storedValues(reply))
    .onConflictDoNothing()
    .returning({ id: replyClassifications.id });
  if (!row) return null;
  const event: SendableEvent = {
    name: "ai/reply-classification.requested",
    data: { workspaceId: reply.workspaceId, classificationId: row.id },
    id: `reply-classification-${row.id}`,
  };
  if (hasAfterCommit(tx)) afterCommit(tx, "classify reply", async () => void (await sendEvent(event)));
  else if (tx instanceof PgTransaction) await sendEvent(event, { db: tx });
  else await sendEvent(event);
  return row.id;
}

/**
 * A reply the vendor already flagged as automatic (Instantly's `is_auto_reply`): stored as read,
 * `auto_reply`, without asking the model (nothing is spent) and doing nothing, so that it shows
 * among the lead's and the campaign's replies. It has no confidence and no model: the vendor's
 * flag is what read it. A reply already stored (a redelivery) is left as it is.
 */
export async function recordAutoReply(tx: Database, reply: StoredReply): Promise<string | null> {
  const [row] = await tx
    .insert(replyClassifications)
    .values({ ...storedValues(reply), state: "classified", category: "auto_reply", classifiedAt: reply.receivedAt })
    .onConflictDoNothing()
    .returning({ id: replyClassifications.id });
  return row?.id ?? null;
}

function storedValues(reply: StoredReply) {
  return {
    workspaceId: reply.workspaceId,
    source: reply.source,
    replyKey: reply.replyKey,
    leadId: reply.leadId,
    campaignId: reply.campaignId,
    enrollmentId: reply.enrollmentId,
    fromAddress: reply.fromAddress?.slice(0, 320) ?? null,
    subject: reply.subject?.slice(0, 1000) ?? null,
    body: replyText(reply.text, reply.html).slice(0, MAX_BODY),
    receivedAt: reply.receivedAt,
  };
}

/** The reply as plain text: its text part, else its HTML with the tags taken out (never rendered). */
export function replyText(text: string | null, html: string | null): string {
  if (text?.trim()) return text.trim();
  if (!html) return "";
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n+/g, "\n\n")
    .trim();
}
