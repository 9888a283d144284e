import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { ENROLL_BATCH_SIZE, type StartedEnrollment } from "./batches";

export type RestartBatchResult = {
  started: StartedEnrollment[];
  /** The last enrollment id restarted, where the next batch starts; null when none is left. */
  after: string | null;
  /** The campaign's status when it is no longer running: the resume stops there. */
  halted: CampaignStatus | null;
};

/**
 * One batch of a resume, in the caller's service transaction: the next `size` active
 * enrollments of the campaign (in id order after `after`) move to their next generation, so the
 * runs of the old one end without sending, and come back to be started again; each new run
 * continues from the enrollment's next step. The campaign row is held FOR SHARE, as a launch
 * batch does, and nothing is restarted unless it is running: paused again meanwhile, the next
 * resume restarts them.
 */
export async function restartEnrollmentsBatch(
  tx: Executor,
  input: { workspaceId: string; campaignId: string; after: string | null; size?: number },
): Promise<RestartBatchResult> {
  const { workspaceId, campaignId, after, size = ENROLL_BATCH_SIZE } = input;
  const [campaign] = await tx.execute<{ status: CampaignStatus }>(sql`
    select status from public.campaigns where id = ${campaignId} and workspace_id = ${workspaceId} for share`);
  if (!campaign) return { started: [], after: null, halted: "stopped" };
  if (campaign.status !== "running") return { started: [], after: null, halted: campaign.status };

  const rows = await tx.execute<{ id: string; generation: number; identity_id: string | null }>(sql`
    update public.campaign_enrollments e set generation = e.generation + 1, updated_at = now()
    from (
      select id from public.campaign_enrollments
      where campaign_id = ${campaignId} and workspace_id = ${workspaceId} and status = 'active'${after ? sql` and id > ${after}::uuid` : sql``}
      order by id limit ${size}
    ) batch
    where e.id = batch.id
    returning e.id, e.generation, e.identity_id`);
  const ids = rows.map((r) => r.id).sort();
  return {
    started: rows
      .filter((r) => r.identity_id !== null)
      .map((r) => ({ enrollmentId: r.id, generation: Number(r.generation), identityId: r.identity_id! })),
    after: rows.length < size ? null : ids[ids.length - 1]!,
    halted: null,
  };
}
