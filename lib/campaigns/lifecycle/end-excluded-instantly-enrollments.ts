import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb, type Executor } from "@/db";
import { pgArray } from "@/db/pg-array";
import { suppressionMatch } from "@/lib/suppressions/suppression-match";
import { endEnrollments } from "./end-enrollments";

/**
 * Our own sequences check, in the send step, that the lead is neither deleted nor on the
 * suppression list (lib/sending/send/lead-refusal.ts). Instantly runs the sequences of a
 * campaign launched through it and never asks us before a step, so those checks never happen
 * there: this ends the active Instantly enrollments of leads that were deleted or whose address
 * or domain was suppressed since they were pushed, and endEnrollments has each lead removed from
 * Instantly (integrations/instantly-lead-removal.requested).
 *
 * Called after a suppression is added by hand or by a file, after leads are deleted, and by
 * every Instantly sync (which catches what a crash between a commit and its after-commit work
 * left). Idempotent: only active enrollments end. `leadIds` narrows it to those leads.
 */
export async function endExcludedInstantlyEnrollments(
  workspaceId: string,
  { leadIds, db = serviceDb() }: { leadIds?: readonly string[]; db?: Executor } = {},
): Promise<{ suppressed: number; deleted: number }> {
  if (leadIds?.length === 0) return { suppressed: 0, deleted: 0 };
  // From the campaigns pushed to Instantly (campaign_enrollments_campaign_status_idx), not the
  // workspace's every active enrollment: a big campaign of our own sending is not read for this.
  const rows = await db.execute<{ id: string; deleted: boolean }>(sql`
    select e.id, (l.deleted_at is not null) as deleted
    from public.instantly_campaign_pushes p
    join public.campaign_enrollments e on e.campaign_id = p.campaign_id and e.workspace_id = p.workspace_id
    join public.leads l on l.id = e.lead_id and l.workspace_id = e.workspace_id
    where p.workspace_id = ${workspaceId} and e.status = 'active' and e.instantly_lead_id is not null
      ${leadIds ? sql`and e.lead_id = any(${pgArray(leadIds)}::uuid[])` : sql``}
      and (l.deleted_at is not null or ${suppressionMatch(workspaceId, sql`l.email`)})`);
  const deleted = rows.filter((r) => r.deleted).map((r) => r.id);
  const suppressed = rows.filter((r) => !r.deleted).map((r) => r.id);
  const ended = {
    deleted: await endEnrollments(db, {
      workspaceId,
      enrollmentIds: deleted,
      cause: "lead_deleted",
      reason: "The lead was deleted: removed from the Instantly campaign.",
    }),
    suppressed: await endEnrollments(db, {
      workspaceId,
      enrollmentIds: suppressed,
      cause: "suppressed",
      reason: "The lead's address or domain was put on the suppression list: removed from the Instantly campaign.",
    }),
  };
  return { suppressed: ended.suppressed.length, deleted: ended.deleted.length };
}
