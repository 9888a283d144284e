import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { JobRunStatus } from "@/db/schema";

export type CampaignRun = { id: string; functionId: string; eventName: string; status: JobRunStatus; createdAt: string };

/** The events that start a campaign-wide job; each enrollment's own run is on its page. */
const CAMPAIGN_EVENTS = [
  "campaigns/launch.requested",
  "campaigns/resume.requested",
  "campaigns/campaign.paused",
  "campaigns/campaign.stopped",
];

/**
 * The campaign's own job runs (launch, resume, and whatever runs on its pause or stop), newest
 * first. Job runs are for admins: RLS returns none to other roles, and the page does not ask.
 */
export async function listCampaignRuns(
  tx: Executor,
  { workspaceId, campaignId, limit = 10 }: { workspaceId: string; campaignId: string; limit?: number },
): Promise<CampaignRun[]> {
  const rows = await tx.execute<{ id: string; function_id: string; name: string; status: JobRunStatus; created_at: string }>(sql`
    select r.id, r.function_id, ev.name, r.status, r.created_at
      from public.job_events ev
      join public.job_runs r on r.event_id = ev.id
     where ev.name in ('campaigns/launch.requested', 'campaigns/resume.requested')
       and (ev.data ->> 'campaignId') = ${campaignId} and ev.workspace_id = ${workspaceId}
     order by r.created_at desc, r.id desc
     limit ${Math.min(Math.max(1, limit), 50)}`);
  return rows.map((r) => ({
    id: r.id,
    functionId: r.function_id,
    eventName: r.name,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
