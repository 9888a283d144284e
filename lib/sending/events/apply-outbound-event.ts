import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db";
import { workspaces } from "@/db/schema";
import type { EmailEventType } from "@/db/schema/campaign-enums";
import { endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { recordActivities } from "@/lib/leads/activities";
import { findEventMessage, type EventMessage } from "./find-message";
import { markFirstTime } from "./funnel";
import { moveLeadStatus, suppressAddress } from "./lead-effects";
import { recordEmailEvent } from "./record-email-event";
import type { OutboundEventData } from "./resend-payload";

/** What processing one delivery concluded, and the campaign whose bounce breaker to check next. */
export type EventOutcome = { outcome: string; breakerCheck?: { workspaceId: string; campaignId: string } };

/** Resend's outbound event types and what each is in our history. */
const EVENT_TYPES: Record<string, EmailEventType> = {
  "email.sent": "sent",
  "email.delivered": "delivered",
  "email.delivery_delayed": "delivery_delayed",
  "email.bounced": "bounced",
  "email.complained": "complained",
  "email.opened": "opened",
  "email.clicked": "clicked",
  "email.failed": "failed",
  "email.suppressed": "suppressed",
};

export function isOutboundEventType(type: string): boolean {
  return type in EVENT_TYPES;
}

/**
 * `email.bounced` is a permanent rejection; Resend reports temporary trouble as
 * `email.delivery_delayed`, and a bounce typed `Transient` is read the same way (§2.7): only a
 * hard bounce marks the lead and counts towards the breaker.
 */
function isSoftBounce(data: OutboundEventData): boolean {
  return /^(transient|temporary)$/i.test(data.bounce?.type ?? "");
}

const clip = (text: string | null | undefined, max: number) => (text ? text.slice(0, max) : undefined);

/**
 * Applies one verified outbound event (sent, delivered, bounced, …) to the message it names, in
 * the caller's service transaction (withServiceTx): its history, its funnel timestamps (the first
 * time each happened), and for a hard bounce or a complaint the lead (status, timeline),
 * the suppression list and the lead's active enrollments. An unknown message changes nothing.
 */
export async function applyOutboundEvent(
  tx: Executor,
  event: { type: string; data: OutboundEventData; raw: Record<string, unknown>; occurredAt: Date; deliveryId: string },
): Promise<EventOutcome> {
  const found = await findEventMessage(tx, event.data);
  if ("unknown" in found) {
    if (found.untraced) await noteUntracedEvent(tx, event);
    return { outcome: `unknown message (${found.unknown}): ignored` };
  }
  const m = found.message;
  const soft = event.type === "email.bounced" && isSoftBounce(event.data);
  const type = soft ? "delivery_delayed" : EVENT_TYPES[event.type]!;
  const recorded = await recordEmailEvent(tx, {
    workspaceId: m.workspaceId,
    messageId: m.id,
    type,
    occurredAt: event.occurredAt,
    providerEventId: event.deliveryId,
    data: event.raw,
  });
  if (!recorded) return { outcome: "already recorded" };

  const at = event.occurredAt;
  if (m.status === "failed" && PROVES_ACCEPTED.has(type)) await recordAccepted(tx, m, event.data.email_id, at);
  const ref = { workspaceId: m.workspaceId, leadId: m.leadId };
  const activity = { messageId: m.id, campaignId: m.campaignId };
  switch (type) {
    case "delivered":
      await markFirstTime(tx, m, "deliveredAt", at);
      return { outcome: "delivered" };
    case "opened":
      if (await markFirstTime(tx, m, "openedAt", at))
        await recordActivities(tx, [{ ...ref, type: "email_opened", actorId: null, payload: activity }]);
      return { outcome: "opened" };
    case "clicked":
      if (await markFirstTime(tx, m, "clickedAt", at)) {
        const link = clip(event.data.click?.link, 500);
        await recordActivities(tx, [{ ...ref, type: "email_clicked", actorId: null, payload: { ...activity, ...(link ? { link } : {}) } }]);
      }
      return { outcome: "clicked" };
    case "bounced":
      await hardBounce(tx, m, at, clip(event.data.bounce?.message, 300));
      return {
        outcome: "hard bounce: lead bounced, address suppressed, enrollments ended",
        breakerCheck: { workspaceId: m.workspaceId, campaignId: m.campaignId },
      };
    case "suppressed":
      await refusedAddress(tx, m, at, clip(event.data.suppressed?.message, 300));
      return { outcome: "suppressed by the provider: lead bounced, address suppressed, enrollments ended" };
    case "failed":
      return (await providerFailed(tx, m, event.data.email_id, at, clip(event.data.failed?.reason, 300)))
        ? { outcome: "failed at the provider: message failed, its sequence stopped" }
        : { outcome: "failed: recorded" };
    case "complained":
      await complaint(tx, m, at);
      return {
        outcome: "complaint: lead unsubscribed, address suppressed, enrollments ended",
        breakerCheck: { workspaceId: m.workspaceId, campaignId: m.campaignId },
      };
    default:
      return { outcome: soft ? "soft bounce: recorded as delivery delayed" : `${type}: recorded` };
  }
}

/** Events the provider reports only for an email it took. */
const PROVES_ACCEPTED: ReadonlySet<EmailEventType> = new Set([
  "sent",
  "delivered",
  "delivery_delayed",
  "bounced",
  "complained",
  "opened",
  "clicked",
]);

/**
 * An email failed because the provider never answered (the sender gave up rather than risk
 * sending it twice; claim-step.ts, failUnknown and refuseLead) that the provider then reports
 * on was sent after all: it is recorded as sent, with the provider's id, so the campaign's
 * counts and the lead's history say what the recipient got. Its sequence stays ended.
 */
async function recordAccepted(tx: Executor, m: EventMessage, providerId: string, at: Date) {
  await tx.execute(sql`
    update public.email_messages set status = 'sent', provider_id = ${providerId}, sent_at = coalesce(sent_at, ${at.toISOString()}::timestamptz),
      reason = null, error_code = null
    where id = ${m.id} and workspace_id = ${m.workspaceId} and status = 'failed' and provider_id is null`);
}

async function hardBounce(tx: Executor, m: EventMessage, at: Date, reason: string | undefined) {
  await markFirstTime(tx, m, "bouncedAt", at, { bounceType: "hard" });
  await endDeadAddress(tx, m, {
    reason,
    invalid: true,
    suppressionNote: "A campaign email to this address bounced (hard bounce).",
    stopReason: `The email address bounced on ${day(at)}.`,
  });
}

/**
 * The provider would not send the email because the address is on its own suppression list (an
 * earlier hard bounce or complaint of that address with the provider account, perhaps from
 * another workspace or tool): every later step to it would be refused the same way, so it ends
 * like a hard bounce, without counting towards the campaign's bounce breaker (nothing reached a
 * mail server, so no bouncedAt) and without calling the address invalid (the provider does not
 * say which it was).
 */
async function refusedAddress(tx: Executor, m: EventMessage, at: Date, providerMessage: string | undefined) {
  await endDeadAddress(tx, m, {
    reason: `The email provider would not send to this address: it is on the provider's suppression list${providerMessage ? ` (${providerMessage})` : ""}.`,
    invalid: false,
    suppressionNote: "The email provider refused to send to this address (its suppression list).",
    stopReason: `The email provider refused the address on ${day(at)} (its suppression list).`,
  });
}

/**
 * An address that will never take mail: the bounce on the lead's timeline, the lead bounced, the
 * address suppressed, and every active enrollment of the lead ended.
 */
async function endDeadAddress(
  tx: Executor,
  m: EventMessage,
  o: { reason: string | undefined; invalid: boolean; suppressionNote: string; stopReason: string },
) {
  const ref = { workspaceId: m.workspaceId, leadId: m.leadId };
  await recordActivities(tx, [
    {
      ...ref,
      type: "email_bounced",
      actorId: null,
      payload: { messageId: m.id, campaignId: m.campaignId, ...(o.reason ? { reason: o.reason } : {}) },
    },
  ]);
  // An unsubscribed lead whose address then bounces is bounced: the address is dead, and the
  // unsubscribe page's Undo (which restores only an `unsubscribed` lead) must not revive it.
  await moveLeadStatus(
    tx,
    ref,
    "bounced",
    ["new", "contacted", "replied", "interested", "meeting", "won", "lost", "unsubscribed"],
    o.invalid ? { emailStatus: "invalid" } : undefined,
  );
  await suppressAddress(tx, m.workspaceId, m.toEmail, "bounce", o.suppressionNote);
  await endLeadEnrollments(tx, m, "bounced", o.stopReason);
}

/**
 * The provider took the email and then could not send it (Resend's `email.failed`: its own
 * limits, the sending domain, the message): the email is failed with the provider's words and
 * its Resend id, as a refusal at send time is, and this enrollment's sequence stops there, since
 * its next step would follow up an email the lead never got. The address is not at fault: the
 * lead and its other campaigns are left as they are. False when the message was not one the
 * provider could have taken (failed or skipped already).
 *
 * The provider may report it before the send step has written its answer (the message still
 * `sending`): the step's write then finds the message failed and the enrollment ended, and moves
 * neither (markSentAndAdvance). The enrollment is locked first, as the send step locks it before
 * the message (claimStep, and markSentAndAdvance's one statement): whichever of the two writes
 * comes second waits for the first and sees it, and neither waits for the other in a circle.
 */
async function providerFailed(
  tx: Executor,
  m: EventMessage,
  providerId: string,
  at: Date,
  providerReason: string | undefined,
): Promise<boolean> {
  await tx.execute(sql`
    select 1 from public.campaign_enrollments where id = ${m.enrollmentId} and workspace_id = ${m.workspaceId} for update`);
  const reason = `The email provider could not send it${providerReason ? `: ${providerReason}` : "."}`;
  // Its Resend id too when the step had not written it: a late `email.sent` then finds a failure
  // the provider reported, not one whose fate is unknown (recordAccepted).
  const failed = await tx.execute(sql`
    update public.email_messages set status = 'failed', reason = ${reason}, error_code = 'provider_failed',
      provider_id = coalesce(provider_id, ${providerId})
    where id = ${m.id} and workspace_id = ${m.workspaceId} and status in ('queued', 'sending', 'sent') returning 1`);
  if (failed.length === 0) return false;
  await endEnrollments(tx, {
    workspaceId: m.workspaceId,
    enrollmentId: m.enrollmentId,
    cause: "provider_rejected",
    reason: `The email provider could not send an email of this sequence on ${day(at)}${providerReason ? `: ${providerReason}` : "."}`,
  });
  return true;
}

async function complaint(tx: Executor, m: EventMessage, at: Date) {
  await markFirstTime(tx, m, "complainedAt", at);
  const ref = { workspaceId: m.workspaceId, leadId: m.leadId };
  await recordActivities(tx, [{ ...ref, type: "email_complained", actorId: null, payload: { messageId: m.id, campaignId: m.campaignId } }]);
  await moveLeadStatus(tx, ref, "unsubscribed", ["new", "contacted", "replied", "interested", "meeting", "won", "lost"]);
  await suppressAddress(tx, m.workspaceId, m.toEmail, "complaint", "The recipient marked a campaign email as spam.");
  await endLeadEnrollments(tx, m, "complained", `Marked an email as spam on ${day(at)}.`);
}

/**
 * An event about no message we know is kept in the history of the workspace its tags name, with
 * no message and no effect (so an operator can see what the provider reported), when that
 * workspace exists; else only the webhook receipt remembers it. A delivery that contradicts a
 * message we do know (another workspace's tags, another email id) is not noted anywhere.
 */
async function noteUntracedEvent(
  tx: Executor,
  event: { type: string; data: OutboundEventData; raw: Record<string, unknown>; occurredAt: Date; deliveryId: string },
) {
  const { workspace_id: workspaceId, message_id: messageId } = event.data.tags;
  // Only a delivery that claims to be a campaign email: notifications and test sends carry no message id.
  if (!messageId || !workspaceId || !z.uuid().safeParse(workspaceId).success) return;
  const [exists] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!exists) return;
  await recordEmailEvent(tx, {
    workspaceId,
    messageId: null,
    type: EVENT_TYPES[event.type]!,
    occurredAt: event.occurredAt,
    providerEventId: event.deliveryId,
    data: event.raw,
  });
}

/**
 * Every active enrollment of the lead ends (a bad address is bad for every campaign); in
 * withServiceTx, endEnrollments announces them and completes their campaigns after the commit.
 */
async function endLeadEnrollments(tx: Executor, m: EventMessage, cause: "bounced" | "complained", reason: string) {
  await endEnrollments(tx, { workspaceId: m.workspaceId, leadId: m.leadId, cause, reason });
}

export function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}
