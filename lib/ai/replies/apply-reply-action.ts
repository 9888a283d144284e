import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { afterCommit, hasAfterCommit } from "@/db/after-commit";
import { campaigns, leads, workspaces } from "@/db/schema";
import { sendEvent, type SendableEvent } from "@/lib/jobs/send-event";
import { leadDisplayName } from "@/lib/leads/lead-fields";
import { reopenCompletedCampaign } from "@/lib/campaigns/lifecycle/reopen-campaign";
import { notify } from "@/lib/notifications/notify";
import { moveLeadStatus } from "@/lib/sending/events/lead-effects";
import { unsubscribeLead } from "@/lib/suppressions/unsubscribe-lead";
import { UNDATED_ABSENCE_DAYS, type ReplyAction } from "./reply-categories";
import type { ReplyReading } from "./classify-reply";

export type ReplyRef = {
  id: string;
  workspaceId: string;
  leadId: string;
  campaignId: string | null;
  enrollmentId: string | null;
  /** The person who read the reply themselves (the timeline names them; they are not notified of their own reading); absent for the model. */
  actorId?: string | null;
};

/** The timeline entry of a reading, the model's (with its confidence) or a person's: what it is and the one action taken. */
export function readingActivityPayload(
  classificationId: string,
  reading: Pick<ReplyReading, "category" | "returnDate" | "referral"> & { confidence?: number },
  action: ReplyAction | null,
) {
  return {
    classificationId,
    category: reading.category,
    ...(reading.confidence !== undefined ? { confidence: reading.confidence } : {}),
    ...(reading.returnDate ? { returnDate: reading.returnDate } : {}),
    ...(reading.referral ? { referral: reading.referral } : {}),
    ...(action ? { action: action.kind } : {}),
  };
}

/**
 * The one thing a reading may do, decided here from its category alone and only ever to the
 * reply's own lead and enrollment (the model chooses a category, never an action or a target):
 * - interested: the lead moves to `interested` (from new, contacted or replied) and its owner
 *   (else the campaign's) is notified;
 * - out_of_office: the enrollment's next step waits until the day after the return date, or
 *   UNDATED_ABSENCE_DAYS after the notice came when it gives none (an active one is put off;
 *   one this reply had stopped is resumed, due then), and the lead the reply moved to `replied`
 *   (which stops every send) is back to `contacted`: an absence notice is not an answer;
 * - unsubscribe_request: the unsubscribe path (suppressed, lead unsubscribed, sequences ended);
 * - wrong_person: the referred person is offered as a new lead (deduplicated by email).
 * Anything else is recorded only. Returns what was done, for the timeline and the undo.
 */
export async function applyReplyAction(
  tx: Database,
  reply: ReplyRef,
  reading: Pick<ReplyReading, "category" | "returnDate" | "referral">,
): Promise<ReplyAction | null> {
  const ref = { workspaceId: reply.workspaceId, leadId: reply.leadId };
  switch (reading.category) {
    case "interested": {
      const [lead] = await tx
        .select({ status: leads.status })
        .from(leads)
        .where(and(eq(leads.id, reply.leadId), eq(leads.workspaceId, reply.workspaceId)));
      if (!lead || !(await moveLeadStatus(tx, ref, "interested", ["new", "contacted", "replied"], { actorId: reply.actorId }))) return null;
      await notifyInterested(tx, reply);
      return { kind: "lead_interested", statusBefore: lead.status };
    }
    case "out_of_office":
      return reply.enrollmentId ? waitUntilBack(tx, reply, reply.enrollmentId, reading.returnDate) : null;
    case "unsubscribe_request": {
      const [lead] = await tx
        .select({ status: leads.status })
        .from(leads)
        .where(and(eq(leads.id, reply.leadId), eq(leads.workspaceId, reply.workspaceId)));
      if (!lead || lead.status === "unsubscribed") return null;
      await unsubscribeLead(tx, { ...ref, campaignId: reply.campaignId }, "reply");
      return { kind: "unsubscribed", campaignId: reply.campaignId };
    }
    case "wrong_person": {
      if (!reading.referral) return null;
      const email = reading.referral.email;
      const [existing] = email
        ? await tx.execute<{ id: string }>(sql`
            select id from public.leads where workspace_id = ${reply.workspaceId} and lower(email) = ${email} and deleted_at is null limit 1`)
        : [];
      return { kind: "referral_offered", referral: reading.referral, existingLeadId: existing?.id ?? null };
    }
    default:
      return null;
  }
}

/**
 * The enrollment's next step becomes due at the start of the day after the return date (without
 * one, UNDATED_ABSENCE_DAYS after the day the notice came), in the workspace's time zone (the
 * send step then moves it into the sending window). An active
 * enrollment already due later is left alone. One this reply stopped (stop on reply) is resumed
 * as a new generation of its sequence, whose run sleeps until then; when that reply ended the
 * campaign's last enrollment and so completed it, the campaign runs again (reopen-campaign.ts).
 */
async function waitUntilBack(tx: Database, reply: ReplyRef, enrollmentId: string, returnDate: string | null): Promise<ReplyAction | null> {
  const [e] = await tx.execute<{
    status: string;
    end_cause: string | null;
    campaign_id: string;
    identity_id: string | null;
    generation: number;
    next_send_at: string | null;
    resume_at: string;
    later: boolean;
    campaign_status: string;
    delivery: string;
  }>(sql`
    with back as (
      select w.id as workspace_id,
        (coalesce(${returnDate}::date + 1, (rc.received_at at time zone w.time_zone)::date + ${UNDATED_ABSENCE_DAYS}::int)::timestamp
          at time zone w.time_zone) as resume_at
      from public.workspaces w
      join public.reply_classifications rc on rc.id = ${reply.id} and rc.workspace_id = w.id
      where w.id = ${reply.workspaceId}
    )
    select e.status, e.end_cause, e.campaign_id, e.identity_id, e.generation, e.next_send_at::text,
      back.resume_at::text as resume_at, coalesce(e.next_send_at >= back.resume_at, false) as later,
      c.status as campaign_status, c.delivery
    from public.campaign_enrollments e
    join public.campaigns c on c.id = e.campaign_id and c.workspace_id = e.workspace_id
    join back on back.workspace_id = e.workspace_id
    where e.id = ${enrollmentId} and e.workspace_id = ${reply.workspaceId} and e.lead_id = ${reply.leadId}
    for update of e`);
  if (!e || e.delivery !== "resend") return null;
  const resumeAt = new Date(e.resume_at).toISOString();
  if (e.status === "active") {
    if (e.later) {
      // Its next step is already due after they are back: nothing to put off, but the notice is
      // still no answer, so a lead it moved to replied is contacted again (undone with the reading).
      const leadBackToContacted = await moveLeadStatus(tx, reply, "contacted", ["replied"], { actorId: reply.actorId });
      if (!leadBackToContacted) return null;
      const nextSendAt = new Date(e.next_send_at!).toISOString();
      return {
        kind: "enrollment_delayed",
        enrollmentId,
        campaignId: e.campaign_id,
        nextSendAtBefore: nextSendAt,
        resumeAt: nextSendAt,
        leadBackToContacted,
      };
    }
    await tx.execute(sql`update public.campaign_enrollments set next_send_at = ${resumeAt}::timestamptz, updated_at = now()
      where id = ${enrollmentId} and workspace_id = ${reply.workspaceId}`);
    return {
      kind: "enrollment_delayed",
      enrollmentId,
      campaignId: e.campaign_id,
      nextSendAtBefore: e.next_send_at ? new Date(e.next_send_at).toISOString() : null,
      resumeAt,
      leadBackToContacted: await moveLeadStatus(tx, reply, "contacted", ["replied"], { actorId: reply.actorId }),
    };
  }
  // Stopped by this very reply (stop on reply): an absence notice is not an answer.
  if (e.status !== "stopped" || e.end_cause !== "replied" || !e.identity_id) return null;
  // ...and by no earlier one: a lead who answered ("not interested", "let's talk") and whose
  // autoresponder then wrote in the same thread has replied, and gets no more of the sequence.
  if (await answeredBefore(tx, reply, enrollmentId)) return null;
  // The reply ended the campaign's last enrollment, which completed it: it runs again for this
  // sequence (a campaign an admin stopped, or edited since its approval, stays as it is).
  const campaignReopened =
    e.campaign_status === "completed" &&
    (await reopenCompletedCampaign(tx, {
      workspaceId: reply.workspaceId,
      campaignId: e.campaign_id,
      reason: "A reply that had ended its last sequence was read as out of office: that sequence resumes after the return date.",
    }));
  if (!campaignReopened && !["running", "paused"].includes(e.campaign_status)) return null;
  const campaignStatus = campaignReopened ? "running" : e.campaign_status;
  const generation = e.generation + 1;
  await tx.execute(sql`update public.campaign_enrollments set status = 'active', end_cause = null, stop_reason = null,
      finished_at = null, next_send_at = ${resumeAt}::timestamptz, generation = ${generation}, updated_at = now()
    where id = ${enrollmentId} and workspace_id = ${reply.workspaceId}`);
  // A paused campaign's resume starts every active enrollment's new generation itself.
  if (campaignStatus === "running") {
    await startSequence(tx, {
      name: "campaigns/enrollment.started",
      data: { workspaceId: reply.workspaceId, campaignId: e.campaign_id, enrollmentId, generation, identityId: e.identity_id },
      id: `enrollment-${enrollmentId}-${generation}`,
    });
  }
  return {
    kind: "enrollment_resumed_later",
    enrollmentId,
    campaignId: e.campaign_id,
    resumeAt,
    generation,
    leadBackToContacted: await moveLeadStatus(tx, reply, "contacted", ["replied"], { actorId: reply.actorId }),
    ...(campaignReopened ? { campaignReopened: true } : {}),
  };
}

/** Whether a reply on the enrollment came before this one that is not an absence notice (or is not read yet). */
async function answeredBefore(tx: Database, reply: ReplyRef, enrollmentId: string): Promise<boolean> {
  const [row] = await tx.execute<{ answered: boolean }>(sql`
    select exists (
      select 1 from public.reply_classifications earlier
      join public.reply_classifications this on this.id = ${reply.id} and this.workspace_id = ${reply.workspaceId}
      where earlier.workspace_id = ${reply.workspaceId} and earlier.enrollment_id = ${enrollmentId} and earlier.id <> this.id
        and (earlier.received_at, earlier.created_at) <= (this.received_at, this.created_at)
        and earlier.category is distinct from 'out_of_office'
    ) as answered`);
  return row?.answered ?? false;
}

/** Sent once the transaction has committed (withServiceTx), or with it (the local executor's transaction). */
export async function startSequence(tx: Database, event: SendableEvent): Promise<void> {
  if (hasAfterCommit(tx)) afterCommit(tx, "start sequence", async () => void (await sendEvent(event)));
  else await sendEvent(event, { db: tx });
}

async function notifyInterested(tx: Database, reply: ReplyRef): Promise<void> {
  const [row] = await tx
    .select({
      firstName: leads.firstName,
      lastName: leads.lastName,
      email: leads.email,
      ownerId: leads.ownerId,
      campaignOwnerId: campaigns.ownerId,
      campaignName: campaigns.name,
    })
    .from(leads)
    .innerJoin(workspaces, eq(workspaces.id, leads.workspaceId))
    .leftJoin(campaigns, and(eq(campaigns.id, sql`${reply.campaignId}::uuid`), eq(campaigns.workspaceId, leads.workspaceId)))
    .where(and(eq(leads.id, reply.leadId), eq(leads.workspaceId, reply.workspaceId)));
  const ownerId = row?.ownerId ?? row?.campaignOwnerId ?? null;
  if (!row || !ownerId) return;
  await notify(tx, {
    workspaceId: reply.workspaceId,
    actorId: reply.actorId ?? null,
    to: { userIds: [ownerId] },
    kind: "lead_replied",
    title: `${leadDisplayName(row)} is interested`,
    body: row.campaignName ? `Their reply was read as interested · Campaign: ${row.campaignName}` : "Their reply was read as interested",
    link: `/leads/${reply.leadId}`,
    subjectId: reply.leadId,
  });
}
