import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { withServiceTx, type Database } from "@/db";
import { leads, replyClassifications, type LeadStatus } from "@/db/schema";
import { LEAD_STATUSES } from "@/db/schema/lead-enums";
import { endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { recordActivities } from "@/lib/leads/activities";
import { can } from "@/lib/auth/permissions";
import { canEditLead } from "@/lib/leads/lead-permissions";
import type { LeadActor } from "@/lib/leads/lock-lead";
import { undoUnsubscribe } from "@/lib/suppressions/unsubscribe-lead";
import { startSequence } from "./apply-reply-action";
import type { ReplyAction } from "./reply-categories";

type Ref = { workspaceId: string; actor: LeadActor; classificationId: string };

/**
 * Loads a reading for a change by `actor` (the service connection, scoped by the workspace the
 * session names): someone who may edit the reply's lead (canEditLead), as the lead page checks,
 * while the lead is not deleted.
 */
export async function loadReadingForEdit(tx: Database, { workspaceId, actor, classificationId }: Ref) {
  const [row] = await tx
    .select({
      leadId: replyClassifications.leadId,
      campaignId: replyClassifications.campaignId,
      enrollmentId: replyClassifications.enrollmentId,
      category: replyClassifications.category,
      action: replyClassifications.action,
      undoneAt: replyClassifications.undoneAt,
      referral: replyClassifications.referral,
      referredLeadId: replyClassifications.referredLeadId,
      ownerId: leads.ownerId,
      leadStatus: leads.status,
      companyName: leads.companyName,
      companyId: leads.companyId,
      leadDeletedAt: leads.deletedAt,
    })
    .from(replyClassifications)
    .innerJoin(leads, and(eq(leads.id, replyClassifications.leadId), eq(leads.workspaceId, replyClassifications.workspaceId)))
    .where(and(eq(replyClassifications.id, classificationId), eq(replyClassifications.workspaceId, workspaceId)))
    // The lead too: a delete committing meanwhile waits for this change, or is seen by it.
    .for("update", { of: [replyClassifications, leads] });
  if (!row) throw notFound("That reply");
  if (!canEditLead(actor.role, actor.userId, row.ownerId)) {
    throw forbidden("Only someone who may edit this lead can change what its reply did: its owner, a manager or an admin.");
  }
  // As every other change to a lead (lockLeadForEdit, addLeadNote): a deleted lead is read-only until restored.
  if (row.leadDeletedAt) {
    throw new AppError("conflict", "This reply's lead is deleted. Restore it from the Deleted leads before changing what its reply did.");
  }
  return row;
}

/**
 * Undoes what a reply's reading did, once, as a person (recorded on the timeline as theirs):
 * the lead's status back to what it was (if nobody moved it since), the enrollment's next step
 * back to when it was due (a new generation of its run, so the old one sleeping until the
 * return date sends nothing), a sequence resumed for the return date stopped again, the
 * unsubscribe lifted (undoUnsubscribe), a referral offer dismissed.
 */
export async function undoReplyAction(ref: Ref): Promise<{ undone: ReplyAction["kind"] }> {
  return withServiceTx(async (tx) => {
    const row = await loadReadingForEdit(tx, ref);
    const action = row.action;
    if (!action) throw new AppError("conflict", "This reply's reading did nothing, so there is nothing to undo.");
    if (row.undoneAt) throw new AppError("conflict", "What this reply did was already undone.");
    const { workspaceId } = ref;
    const leadRef = { workspaceId, leadId: row.leadId };
    switch (action.kind) {
      case "lead_interested": {
        const before = (LEAD_STATUSES as readonly string[]).includes(action.statusBefore) ? (action.statusBefore as LeadStatus) : "replied";
        if (row.leadStatus === "interested") {
          await tx
            .update(leads)
            .set({ status: before })
            .where(and(eq(leads.id, row.leadId), eq(leads.workspaceId, workspaceId)));
          await recordActivities(tx, [
            { ...leadRef, type: "status_changed", actorId: ref.actor.userId, payload: { before: "interested", after: before } },
          ]);
        }
        break;
      }
      case "enrollment_delayed": {
        const [moved] = await tx.execute<{ generation: number; identity_id: string }>(sql`
          update public.campaign_enrollments set next_send_at = coalesce(${action.nextSendAtBefore}::timestamptz, now()),
            generation = generation + 1, updated_at = now()
          where id = ${action.enrollmentId} and workspace_id = ${workspaceId} and status = 'active'
            and next_send_at = ${action.resumeAt}::timestamptz and identity_id is not null
          returning generation, identity_id`);
        if (moved) await restartIfRunning(tx, workspaceId, action.campaignId, action.enrollmentId, moved.generation, moved.identity_id);
        if (action.leadBackToContacted) await backToReplied(tx, leadRef, ref.actor.userId);
        break;
      }
      case "enrollment_resumed_later": {
        const [current] = await tx.execute<{ generation: number }>(sql`
          select generation from public.campaign_enrollments where id = ${action.enrollmentId} and workspace_id = ${workspaceId}`);
        if (current?.generation === action.generation) {
          await endEnrollments(tx, {
            workspaceId,
            enrollmentId: action.enrollmentId,
            cause: "replied",
            reason: "Replied (the out-of-office reading was undone).",
          });
        }
        if (action.leadBackToContacted) await backToReplied(tx, leadRef, ref.actor.userId);
        break;
      }
      case "unsubscribed":
        // Lifting an unsubscribe is the suppression list's to do, whoever may edit the lead: the
        // service connection passes RLS, which allows admins alone to delete a suppression.
        if (!can(ref.actor.role, "suppression.manage")) {
          throw forbidden(
            "Only an admin can undo this: it would take the person's address off the suppression list. Ask an admin to undo it if the reply did not ask to unsubscribe.",
          );
        }
        await undoUnsubscribe(tx, { workspaceId, leadId: row.leadId, campaignId: action.campaignId }, { memberId: ref.actor.userId });
        break;
      case "referral_offered":
        if (row.referredLeadId) {
          throw new AppError("conflict", "The referred person was already added as a lead: open that lead to change or delete it.");
        }
        break;
    }
    await tx
      .update(replyClassifications)
      .set({ undoneAt: sql`now()` as unknown as Date, undoneBy: ref.actor.userId })
      .where(and(eq(replyClassifications.id, ref.classificationId), eq(replyClassifications.workspaceId, workspaceId)));
    await recordActivities(tx, [
      {
        ...leadRef,
        type: "reply_action_undone",
        actorId: ref.actor.userId,
        payload: { classificationId: ref.classificationId, action: action.kind },
      },
    ]);
    return { undone: action.kind };
  });
}

/** The lead the out-of-office reading had moved back to contacted is replied again (if nobody moved it since). */
async function backToReplied(tx: Database, lead: { workspaceId: string; leadId: string }, actorId: string) {
  const [moved] = await tx
    .update(leads)
    .set({ status: "replied" })
    .where(and(eq(leads.id, lead.leadId), eq(leads.workspaceId, lead.workspaceId), eq(leads.status, "contacted")))
    .returning({ id: leads.id });
  if (moved) await recordActivities(tx, [{ ...lead, type: "status_changed", actorId, payload: { before: "contacted", after: "replied" } }]);
}

async function restartIfRunning(
  tx: Database,
  workspaceId: string,
  campaignId: string,
  enrollmentId: string,
  generation: number,
  identityId: string,
) {
  const [campaign] = await tx.execute<{ status: string }>(sql`
    select status from public.campaigns where id = ${campaignId} and workspace_id = ${workspaceId}`);
  if (campaign?.status !== "running") return;
  await startSequence(tx, {
    name: "campaigns/enrollment.started",
    data: { workspaceId, campaignId, enrollmentId, generation, identityId },
    id: `enrollment-${enrollmentId}-${generation}`,
  });
}
