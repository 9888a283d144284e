import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb, type Executor } from "@/db";
import { pgArray } from "@/db/pg-array";
import type { SuppressionKind } from "@/db/schema";
import { BULK_UNDO_LIMIT_SECONDS } from "@/lib/leads/bulk/undo-window";
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
 * Called after a suppression is added by hand or by a file (`entries`: only the leads those
 * cover), once a delete can no longer be undone (`deletedBy`: the leads it still holds deleted;
 * inngest/functions/leads/take-deleted-leads-out-of-instantly.ts), and by every Instantly sync,
 * for the whole workspace (which catches what a crash between a commit and its after-commit work
 * left), leaving alone the leads of a delete that can still be undone. Idempotent: only active
 * enrollments end.
 */
export async function endExcludedInstantlyEnrollments(
  workspaceId: string,
  {
    entries,
    deletedBy,
    db = serviceDb(),
  }: {
    /** Only the leads this bulk delete holds deleted (not those an undo restored). */
    deletedBy?: string;
    /** Only the leads these new suppression entries cover (one added by hand, a file's), not the whole list again. */
    entries?: readonly { kind: SuppressionKind; value: string }[];
    db?: Executor;
  } = {},
): Promise<{ suppressed: number; deleted: number }> {
  if (entries?.length === 0) return { suppressed: 0, deleted: 0 };
  const rows = entries
    ? await enrollmentsCoveredBy(db, workspaceId, entries)
    : deletedBy
      ? await enrollmentsOfLeadsDeletedBy(db, workspaceId, deletedBy)
      : await enrollmentsOfExcludedLeads(db, workspaceId);
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

/**
 * Whether an Instantly campaign is still sending to one of `leadIds` (an active enrollment pushed
 * there): then a delete of them must take them out of Instantly once it can no longer be undone.
 */
export async function anyInInstantlyCampaigns(
  workspaceId: string,
  leadIds: readonly string[],
  db: Executor = serviceDb(),
): Promise<boolean> {
  if (leadIds.length === 0) return false;
  const rows = await db.execute(sql`
    select 1 from public.campaign_enrollments e
    where e.workspace_id = ${workspaceId} and e.lead_id = any(${pgArray(leadIds)}::uuid[])
      and e.status = 'active' and e.instantly_lead_id is not null
    limit 1`);
  return rows.length > 0;
}

type Found = { id: string; deleted: boolean };

/** The active Instantly enrollments of the leads a bulk delete still holds deleted (its time and requester mark them: selection-sql.ts). */
async function enrollmentsOfLeadsDeletedBy(db: Executor, workspaceId: string, operationId: string) {
  return db.execute<Found>(sql`
    select e.id, true as deleted
    from public.lead_bulk_operations o
    join public.leads l on l.workspace_id = o.workspace_id and l.deleted_at = o.created_at and l.deleted_by = o.requested_by
    join public.campaign_enrollments e on e.workspace_id = l.workspace_id and e.lead_id = l.id
    where o.id = ${operationId} and o.workspace_id = ${workspaceId} and o.action = 'delete'
      and e.status = 'active' and e.instantly_lead_id is not null`);
}

/**
 * The workspace's active Instantly enrollments whose lead is deleted or suppressed. A lead whose delete can still be undone (running, being undone, or ended less
 * than BULK_UNDO_LIMIT_SECONDS ago) is left to that delete's own job, so that an undo keeps its place.
 */
async function enrollmentsOfExcludedLeads(db: Executor, workspaceId: string) {
  // From the campaigns pushed to Instantly (campaign_enrollments_campaign_status_idx), not the
  // workspace's every active enrollment: a big campaign of our own sending is not read for this.
  return db.execute<Found>(sql`
    select e.id, (l.deleted_at is not null) as deleted
    from public.instantly_campaign_pushes p
    join public.campaign_enrollments e on e.campaign_id = p.campaign_id and e.workspace_id = p.workspace_id
    join public.leads l on l.id = e.lead_id and l.workspace_id = e.workspace_id
    where p.workspace_id = ${workspaceId} and e.status = 'active' and e.instantly_lead_id is not null
      and ((l.deleted_at is not null and not exists (
             select 1 from public.lead_bulk_operations o
             where o.workspace_id = l.workspace_id and o.action = 'delete' and o.created_at = l.deleted_at and o.requested_by = l.deleted_by
               and (o.status in ('queued', 'running') or o.finished_at > now() - make_interval(secs => ${BULK_UNDO_LIMIT_SECONDS + 5})
                    or exists (select 1 from public.lead_bulk_operations u where u.undo_of = o.id and u.status in ('queued', 'running')))))
           or ${suppressionMatch(workspaceId, sql`l.email`)})`);
}

/**
 * The active Instantly enrollments of the leads new suppression entries cover: an address is
 * found through the leads' unique address index, a domain among the pushed campaigns' enrollments.
 */
async function enrollmentsCoveredBy(db: Executor, workspaceId: string, entries: readonly { kind: SuppressionKind; value: string }[]) {
  const emails = entries.filter((e) => e.kind === "email").map((e) => e.value);
  const domains = entries.filter((e) => e.kind === "domain").map((e) => e.value);
  const byAddress = sql`
    select e.id, false as deleted
    from public.leads l
    join public.campaign_enrollments e on e.workspace_id = l.workspace_id and e.lead_id = l.id and e.status = 'active'
    where l.workspace_id = ${workspaceId} and lower(l.email) = any(${pgArray(emails)}::text[]) and l.deleted_at is null
      and e.instantly_lead_id is not null`;
  const byDomain = sql`
    select e.id, false as deleted
    from public.instantly_campaign_pushes p
    join public.campaign_enrollments e on e.campaign_id = p.campaign_id and e.workspace_id = p.workspace_id
    join public.leads l on l.id = e.lead_id and l.workspace_id = e.workspace_id
    where p.workspace_id = ${workspaceId} and e.status = 'active' and e.instantly_lead_id is not null and l.deleted_at is null
      and split_part(lower(btrim(l.email)), '@', 2) = any(${pgArray(domains)}::text[])`;
  if (domains.length === 0) return db.execute<Found>(byAddress);
  if (emails.length === 0) return db.execute<Found>(byDomain);
  return db.execute<Found>(sql`${byAddress} union ${byDomain}`);
}
