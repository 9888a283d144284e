import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from "@/db/schema/campaign-enums";
import { FUNNEL_STAGES, type FunnelStage } from "./funnel-stages";

/**
 * A campaign's figures at a glance: its enrollments by state, and its emails by outcome and by
 * the furthest each got (the funnel's stages, counted as the campaign page's funnel counts them:
 * among the emails sent, a soft bounce not counted as a bounce).
 */
export type CampaignStats = {
  enrollments: Record<EnrollmentStatus, number> & { total: number };
  emails: Record<FunnelStage, number> & { queued: number; failed: number; skipped: number };
  lastSentAt: string | null;
  nextSendAt: string | null;
};

const zeroStats = (): CampaignStats => ({
  enrollments: { ...(Object.fromEntries(ENROLLMENT_STATUSES.map((s) => [s, 0])) as Record<EnrollmentStatus, number>), total: 0 },
  emails: { ...(Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as Record<FunnelStage, number>), queued: 0, failed: 0, skipped: 0 },
  lastSentAt: null,
  nextSendAt: null,
});

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/**
 * The stats of several campaigns of one workspace in two grouped reads (enrollments over
 * campaign_enrollments_campaign_status_idx, emails over the campaign's messages), so a list of
 * every campaign costs two queries, not two per campaign. Every id asked for has an entry (zeros
 * for a campaign that never launched); runs in the caller's transaction, so RLS applies.
 */
export async function getCampaignStats(
  tx: Executor,
  { workspaceId, campaignIds }: { workspaceId: string; campaignIds: string[] },
): Promise<Map<string, CampaignStats>> {
  const stats = new Map(campaignIds.map((id) => [id, zeroStats()]));
  if (campaignIds.length === 0) return stats;
  const ids = sql`${`{${campaignIds.join(",")}}`}::uuid[]`;
  const [enrollments, messages] = await Promise.all([
    tx.execute<{ campaign_id: string; status: EnrollmentStatus; n: number; next_send_at: string | null }>(sql`
      select campaign_id, status, count(*)::int as n, min(next_send_at) filter (where status = 'active') as next_send_at
        from public.campaign_enrollments
       where workspace_id = ${workspaceId} and campaign_id = any(${ids})
       group by campaign_id, status`),
    tx.execute<
      { campaign_id: string; queued: number; failed: number; skipped: number; last_sent_at: string | null } & Record<FunnelStage, number>
    >(sql`
      select campaign_id,
             count(*) filter (where status in ('queued', 'sending'))::int as queued,
             count(*) filter (where status = 'failed')::int as failed,
             count(*) filter (where status = 'skipped')::int as skipped,
             count(*) filter (where status = 'sent')::int as sent,
             count(delivered_at) filter (where status = 'sent')::int as delivered,
             count(opened_at) filter (where status = 'sent')::int as opened,
             count(clicked_at) filter (where status = 'sent')::int as clicked,
             count(replied_at) filter (where status = 'sent')::int as replied,
             count(*) filter (where status = 'sent' and bounced_at is not null and bounce_type is distinct from 'soft')::int as bounced,
             count(unsubscribed_at) filter (where status = 'sent')::int as unsubscribed,
             max(sent_at) as last_sent_at
        from public.email_messages
       where workspace_id = ${workspaceId} and campaign_id = any(${ids})
       group by campaign_id`),
  ]);
  for (const row of enrollments) {
    const s = stats.get(row.campaign_id);
    if (!s) continue;
    s.enrollments[row.status] = row.n;
    s.enrollments.total += row.n;
    if (row.next_send_at) s.nextSendAt = iso(row.next_send_at);
  }
  for (const row of messages) {
    const s = stats.get(row.campaign_id);
    if (!s) continue;
    for (const stage of FUNNEL_STAGES) s.emails[stage] = row[stage];
    s.emails.queued = row.queued;
    s.emails.failed = row.failed;
    s.emails.skipped = row.skipped;
    s.lastSentAt = iso(row.last_sent_at);
  }
  return stats;
}
