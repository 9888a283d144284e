import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { serviceDb, type Executor } from "@/db";
import { afterCommit, hasAfterCommit } from "@/db/after-commit";
import { pgArray } from "@/db/pg-array";
import { campaignEnrollments } from "@/db/schema";
import type { EnrollmentEndCause } from "@/db/schema/campaign-enums";
import { sendEvent } from "@/lib/jobs/send-event";
import { completeCampaignIfDone } from "./complete-campaign";

export type EndEnrollmentsInput = {
  workspaceId: string;
  /** Which active enrollments end: one lead's (in every campaign), one or several enrollments, or a campaign's. Give at least one. */
  leadId?: string;
  enrollmentId?: string;
  /** Several enrollments at once (an empty list ends none). */
  enrollmentIds?: readonly string[];
  campaignId?: string;
  cause: EnrollmentEndCause;
  /** Words a rep understands, shown on the campaign page ("Replied on 3 March"). */
  reason: string;
  /** `skipped` when a check refused the lead before its sequence could finish; `stopped` otherwise. */
  status?: "stopped" | "skipped";
  /**
   * Emit campaigns/enrollment.ended for each (cancels its sleeping run). A campaign stop says
   * false: its one campaigns/campaign.stopped event cancels every run.
   */
  emit?: boolean;
  /**
   * Instantly itself reported the end (the sync or its webhook): nothing to tell it. Otherwise an
   * ended enrollment that Instantly sends (it holds Instantly's lead id) has its lead removed
   * there (integrations/instantly-lead-removal.requested): Instantly never asks us before a step,
   * so a lead who unsubscribed by our link would get the rest of the sequence.
   */
  reportedByInstantly?: boolean;
};

/** An enrollment that ended, with Instantly's lead id when Instantly sends its sequence. */
export type EndedEnrollment = { id: string; campaignId: string; instantlyLeadId: string | null };

/**
 * Ends the matching enrollments that are still active, in one statement (on the service
 * connection: people hold no UPDATE on enrollments), and announces each so its run stops
 * sleeping. Ending is idempotent: an enrollment that already ended is left as it was, so two
 * causes racing (a reply and an unsubscribe) record the first.
 *
 * Given the pool, or a transaction of withServiceTx/withUserTx (db/index.ts), the events are
 * sent once the change has committed, and then each campaign touched completes if that was its
 * last active enrollment. Given another transaction, the events go with it (the local executor
 * stores them in it; Inngest cannot join a transaction and gets them at once, which only
 * cancels runs whose send step would refuse anyway once the end commits) and the caller calls
 * completeCampaignIfDone for the returned campaigns AFTER its commit: only then does the last
 * to commit see every other end.
 */
export async function endEnrollments(db: Executor, input: EndEnrollmentsInput): Promise<EndedEnrollment[]> {
  const { workspaceId, cause, reason, status = "stopped", emit = true } = input;
  const which: SQL[] = [];
  if (input.leadId) which.push(eq(campaignEnrollments.leadId, input.leadId));
  if (input.enrollmentId) which.push(eq(campaignEnrollments.id, input.enrollmentId));
  if (input.enrollmentIds) {
    if (input.enrollmentIds.length === 0) return [];
    which.push(sql`${campaignEnrollments.id} = any(${pgArray(input.enrollmentIds)}::uuid[])`);
  }
  if (input.campaignId) which.push(eq(campaignEnrollments.campaignId, input.campaignId));
  if (which.length === 0) throw new Error("endEnrollments: name a lead, an enrollment or a campaign");

  const ended = await db
    .update(campaignEnrollments)
    .set({
      status,
      endCause: cause,
      stopReason: reason.slice(0, 500),
      nextSendAt: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(campaignEnrollments.workspaceId, workspaceId), eq(campaignEnrollments.status, "active"), ...which))
    .returning({
      id: campaignEnrollments.id,
      campaignId: campaignEnrollments.campaignId,
      instantlyLeadId: campaignEnrollments.instantlyLeadId,
    });
  if (ended.length === 0) return ended;

  const events = emit
    ? ended.flatMap((e) => [
        {
          name: "campaigns/enrollment.ended" as const,
          data: { workspaceId, campaignId: e.campaignId, enrollmentId: e.id },
          id: `enrollment-ended-${e.id}`,
        },
        ...(e.instantlyLeadId && !input.reportedByInstantly
          ? [
              {
                name: "integrations/instantly-lead-removal.requested" as const,
                data: { workspaceId, enrollmentId: e.id },
                id: `instantly-lead-removal-${e.id}`,
              },
            ]
          : []),
      ])
    : [];
  const announceAndComplete = async () => {
    await sendEvent(events);
    for (const campaignId of campaignsOf(ended)) await completeCampaignIfDone(serviceDb(), campaignId);
  };
  if (hasAfterCommit(db)) afterCommit(db, "end enrollments", announceAndComplete);
  else if (db instanceof PgTransaction) await sendEvent(events, { db });
  else await announceAndComplete();
  return ended;
}

/** The distinct campaigns of some ended enrollments (what to pass to completeCampaignIfDone). */
export function campaignsOf(ended: readonly EndedEnrollment[]): string[] {
  return [...new Set(ended.map((e) => e.campaignId))];
}
