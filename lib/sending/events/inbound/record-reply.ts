import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { campaigns, emailMessages, emailReplies, leads } from "@/db/schema";
import { queueReplyClassification } from "@/lib/ai/replies/queue-reply";
import { endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { recordActivities } from "@/lib/leads/activities";
import { leadDisplayName } from "@/lib/leads/lead-fields";
import { notify } from "@/lib/notifications/notify";
import { day, type EventOutcome } from "../apply-outbound-event";
import { markFirstTime } from "../funnel";
import { moveLeadStatus } from "../lead-effects";
import { recordEmailEvent } from "../record-email-event";
import type { ReceivedEmail } from "./fetch-received-email";
import { bareAddress, referencedMessageIds, taggedMessageId } from "./match-headers";

const repliedColumns = {
  id: emailMessages.id,
  workspaceId: emailMessages.workspaceId,
  campaignId: emailMessages.campaignId,
  enrollmentId: emailMessages.enrollmentId,
  leadId: emailMessages.leadId,
  rfcMessageId: emailMessages.rfcMessageId,
  subject: emailMessages.subject,
};
type RepliedMessage = { id: string; workspaceId: string; campaignId: string; enrollmentId: string; leadId: string; subject: string | null };

/**
 * The campaign email a reply answers: the Message-ID its In-Reply-To or References name (ours
 * are `<uuid@domain>`, unique), else the message id tagged into the reply-to address it was
 * sent to. Null for a reply to nothing we sent.
 */
export async function findRepliedMessage(tx: Executor, received: ReceivedEmail): Promise<RepliedMessage | null> {
  const referenced = referencedMessageIds(received.headers);
  if (referenced.length > 0) {
    const rows = await tx.select(repliedColumns).from(emailMessages).where(inArray(emailMessages.rfcMessageId, referenced));
    const byId = new Map(rows.map((row) => [row.rfcMessageId, row]));
    const first = referenced.map((id) => byId.get(id)).find(Boolean);
    if (first) return first;
  }
  const tagged = taggedMessageId(received.to);
  if (!tagged) return null;
  const [row] = await tx.select(repliedColumns).from(emailMessages).where(eq(emailMessages.id, tagged)).limit(1);
  return row ?? null;
}

/**
 * Stores a lead's reply once (by the provider's email id) and acts on it, in the caller's service
 * transaction: the message's history and `replied_at`, the lead's status (replied, unless it is
 * further on) and timeline, its enrollment stopped when the campaign stops on reply, and its
 * owner (else the campaign's) notified. The reply's text is a stranger's: stored, shown as text.
 */
export async function recordReply(
  tx: Database,
  input: { received: ReceivedEmail; deliveryId: string; occurredAt: Date },
): Promise<EventOutcome> {
  const { received, deliveryId, occurredAt } = input;
  const m = await findRepliedMessage(tx, received);
  if (!m) return { outcome: "reply to no known message: ignored" };

  const from = bareAddress(received.from);
  const stored = await tx
    .insert(emailReplies)
    .values({
      workspaceId: m.workspaceId,
      messageId: m.id,
      campaignId: m.campaignId,
      enrollmentId: m.enrollmentId,
      leadId: m.leadId,
      providerEmailId: received.id,
      rfcMessageId: received.messageId?.slice(0, 1000) ?? null,
      fromAddress: from,
      subject: received.subject?.slice(0, 1000) ?? null,
      textBody: received.text?.slice(0, 200_000) ?? null,
      htmlBody: received.html?.slice(0, 500_000) ?? null,
      receivedAt: occurredAt,
    })
    .onConflictDoNothing({ target: emailReplies.providerEmailId })
    .returning({ id: emailReplies.id });
  if (stored.length === 0) return { outcome: "reply already recorded" };
  // Read by the model once this commits (lib/ai/replies).
  await queueReplyClassification(tx, {
    workspaceId: m.workspaceId,
    source: "resend",
    replyKey: stored[0]!.id,
    leadId: m.leadId,
    campaignId: m.campaignId,
    enrollmentId: m.enrollmentId,
    fromAddress: from,
    subject: received.subject ?? null,
    text: received.text ?? null,
    html: received.html ?? null,
    receivedAt: occurredAt,
  });
  await recordEmailEvent(tx, {
    workspaceId: m.workspaceId,
    messageId: m.id,
    type: "received",
    occurredAt,
    providerEventId: deliveryId,
    data: { email_id: received.id, from, subject: received.subject?.slice(0, 1000) ?? null },
  });
  await markFirstTime(tx, m, "repliedAt", occurredAt);

  const ref = { workspaceId: m.workspaceId, leadId: m.leadId };
  await recordActivities(tx, [
    {
      ...ref,
      type: "email_replied",
      actorId: null,
      payload: { messageId: m.id, campaignId: m.campaignId, ...(received.subject ? { subject: received.subject.slice(0, 300) } : {}) },
    },
  ]);
  await moveLeadStatus(tx, ref, "replied", ["new", "contacted"]);

  const [campaign] = await tx
    .select({ name: campaigns.name, ownerId: campaigns.ownerId, stopOnReply: campaigns.stopOnReply })
    .from(campaigns)
    .where(and(eq(campaigns.id, m.campaignId), eq(campaigns.workspaceId, m.workspaceId)));
  let stopped = false;
  if (campaign?.stopOnReply) {
    const ended = await endEnrollments(tx, {
      workspaceId: m.workspaceId,
      enrollmentId: m.enrollmentId,
      cause: "replied",
      reason: `Replied on ${day(occurredAt)}.`,
    });
    stopped = ended.length > 0;
  }
  await notifyOwner(tx, m, campaign, received.subject);
  return { outcome: stopped ? "reply recorded, sequence stopped" : "reply recorded" };
}

async function notifyOwner(
  tx: Database,
  m: RepliedMessage,
  campaign: { name: string; ownerId: string | null } | undefined,
  subject: string | null,
) {
  const [lead] = await tx
    .select({ firstName: leads.firstName, lastName: leads.lastName, email: leads.email, ownerId: leads.ownerId })
    .from(leads)
    .where(and(eq(leads.id, m.leadId), eq(leads.workspaceId, m.workspaceId), sql`${leads.deletedAt} is null`));
  if (!lead) return;
  const ownerId = lead.ownerId ?? campaign?.ownerId ?? null;
  if (!ownerId) return;
  await notify(tx, {
    workspaceId: m.workspaceId,
    actorId: null,
    to: { userIds: [ownerId] },
    kind: "lead_replied",
    title: `${leadDisplayName(lead)} replied`,
    body: [subject && `“${subject}”`, campaign && `Campaign: ${campaign.name}`].filter(Boolean).join(" · ") || null,
    link: `/leads/${m.leadId}`,
    subjectId: m.leadId,
  });
}
