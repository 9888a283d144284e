import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { ENROLL_BATCH_SIZE, type StartedEnrollment } from "./batches";
import { pgArray } from "@/db/pg-array";

export type RestartBatchResult = {
  started: StartedEnrollment[];
  /** Enrollments ended because their mailbox is gone and the campaign has none left to move them to. */
  ended: string[];
  /** The batch's last enrollment (active or not), where the next batch starts; null when none is left. */
  after: string | null;
  /** The campaign's status when it is no longer running: the resume stops there. */
  halted: CampaignStatus | null;
};

/** Why an enrollment ended with no_identity, in words for the campaign page. */
export const NO_IDENTITY_LEFT_REASON =
  "Its mailbox was deleted or taken off the campaign, and the campaign has no other mailbox to send from.";

/**
 * One batch of a resume, in the caller's service transaction: of the campaign's next `size`
 * enrollments (in the order they were created, after enrollment `after`), the active ones move to
 * their next generation, so the runs of the old one end without sending, and come back to be
 * started again; each new run continues from the enrollment's next step. The campaign row is
 * held FOR SHARE, as a launch batch does, and nothing is restarted unless it is running: paused
 * again meanwhile, the next resume restarts them.
 *
 * An enrollment whose mailbox was deleted (identity_id set null by the foreign key) or taken off
 * the campaign's list (an edit, approved again) would have no run that can send: it moves to the
 * campaign's mailboxes in use (listed, not archived) in turn, or, when none is left, ends with
 * no_identity, so that the campaign can still complete. (Only here: a mailbox a campaign lists
 * cannot be deleted once it is past draft, and taking one off its list returns it to draft, so
 * a campaign whose enrollments lost their mailbox runs again only through a relaunch or resume.)
 */
export async function restartEnrollmentsBatch(
  tx: Executor,
  input: { workspaceId: string; campaignId: string; after: string | null; size?: number },
): Promise<RestartBatchResult> {
  const { workspaceId, campaignId, after, size = ENROLL_BATCH_SIZE } = input;
  const [campaign] = await tx.execute<{ status: CampaignStatus }>(sql`
    select status from public.campaigns where id = ${campaignId} and workspace_id = ${workspaceId} for share`);
  if (!campaign) return { started: [], ended: [], after: null, halted: "stopped" };
  if (campaign.status !== "running") return { started: [], ended: [], after: null, halted: campaign.status };

  const listed = sql`select ci.identity_id from public.campaign_identities ci
    where ci.campaign_id = ${campaignId} and ci.workspace_id = ${workspaceId}`;
  const orphan = sql`(e.identity_id is null or e.identity_id not in (${listed}))`;
  // The campaign's next `size` enrollments in the order of campaign_enrollments_campaign_created_idx
  // (created_at, id), read along it from the cursor's place: id order, which no index gives for one
  // campaign, read and sorted all its active enrollments for every batch. A page, finished ones
  // included (as a launch pages its audience): asking for `size` active ones, statistics that saw
  // hardly any (an ANALYZE from before the launch) made the planner read all those past the cursor
  // to sort them. The status is read under the lock; the workspace is checked on each row (IS
  // TRUE: not an index condition, so no index starting with workspace_id is read instead). A
  // cursor whose row is gone (its lead deleted) starts the order again: restarting an enrollment
  // twice only supersedes its first new run, skipping one would leave it with none.
  const from = after
    ? sql`and (e.created_at, e.id) > (coalesce((select c.created_at from public.campaign_enrollments c
        where c.id = ${after}::uuid and c.campaign_id = ${campaignId}), '-infinity'), ${after}::uuid)`
    : sql``;
  const page = await tx.execute<{ id: string; active: boolean; orphan: boolean }>(sql`
    select e.id, e.status = 'active' as active, ${orphan} as orphan from public.campaign_enrollments e
    where e.campaign_id = ${campaignId} ${from} and (e.workspace_id = ${workspaceId}) is true
    order by e.created_at, e.id limit ${size}
    for update of e`);
  const next = page.length < size ? null : page[page.length - 1]!.id;
  const batch = page.filter((r) => r.active);
  if (batch.length === 0) return { started: [], ended: [], after: next, halted: null };

  const orphans = batch.filter((r) => r.orphan).map((r) => r.id);
  const usable = orphans.length
    ? (
        await tx.execute<{ id: string }>(sql`
          select i.id from public.sending_identities i
          where i.workspace_id = ${workspaceId} and i.archived_at is null and i.id in (${listed})
          order by i.id`)
      ).map((i) => i.id)
    : [];
  let ended: string[] = [];
  if (orphans.length > 0 && usable.length === 0) {
    // Each by its key. No `status = 'active'`: the page read these active under FOR UPDATE, so
    // they still are; as an index condition it let statistics that saw hardly any active
    // enrollment (an ANALYZE from before the launch) read every active one of the workspace.
    ended = (
      await tx.execute<{ id: string }>(sql`
        update public.campaign_enrollments set status = 'stopped', end_cause = 'no_identity', stop_reason = ${NO_IDENTITY_LEFT_REASON},
          next_send_at = null, finished_at = now()
        where id = any(${pgArray(orphans)}::uuid[]) and workspace_id = ${workspaceId}
        returning id`)
    ).map((r) => r.id);
  }
  const endedIds = new Set(ended);
  const restart = batch.map((r) => r.id).filter((id) => !endedIds.has(id));
  // Orphans take the usable mailboxes in turn; the others keep theirs.
  const moveTo = new Map(usable.length ? orphans.map((id, n) => [id, usable[n % usable.length]!]) : []);
  // The ids also as a condition on e, so each is read by its key: from the join alone the planner
  // hashed the whole table instead (a batch of 1,000 read every row of a table of 50,000).
  const ids = pgArray(restart);
  const rows = restart.length
    ? await tx.execute<{ id: string; generation: number; identity_id: string | null }>(sql`
        update public.campaign_enrollments e
        set generation = e.generation + 1, identity_id = coalesce(m.identity_id, e.identity_id), updated_at = now()
        from unnest(${ids}::uuid[], ${pgArray(restart.map((id) => moveTo.get(id) ?? null))}::uuid[]) as m(id, identity_id)
        where e.id = any(${ids}::uuid[]) and e.id = m.id and e.workspace_id = ${workspaceId}
        returning e.id, e.generation, e.identity_id`)
    : [];
  return {
    started: rows
      .filter((r) => r.identity_id !== null)
      .map((r) => ({ enrollmentId: r.id, generation: Number(r.generation), identityId: r.identity_id! })),
    ended,
    after: next,
    halted: null,
  };
}
