import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { EnrollmentStatus, PauseCause } from "@/db/schema/campaign-enums";
import { sentTodaySql } from "@/lib/sending/capacity";

export type CampaignProgress = {
  enrollments: Record<EnrollmentStatus, number> & { total: number };
  /** Emails the provider accepted, failed and skipped at send time, across every step. */
  messages: { sent: number; failed: number; skipped: number; queued: number };
  /** When the next email of an enrollment still in sequence is due (null when none is). */
  nextSendAt: string | null;
  /** The last email sent. */
  lastSentAt: string | null;
  /**
   * The mailboxes it sends from, each with what it sent today (the day of its own time zone, as
   * its daily cap counts it, across every campaign using it): a mailbox at its cap is why the
   * next email waits.
   */
  mailboxes: { fromEmail: string; timeZone: string; dailyCap: number; sentToday: number }[];
  /** Why it is paused (an admin's words or the bounce breaker's), and when; null unless paused. */
  pause: { reason: string | null; at: string | null; bySystem: boolean } | null;
};

/**
 * How far a launched campaign has got: its enrollments by state and its emails by outcome.
 * Two aggregates, each over one index of the campaign (campaign_enrollments_campaign_status_idx,
 * email_messages_campaign_status_idx), so a campaign of 10,000 leads answers in milliseconds.
 */
export async function getCampaignProgress(
  tx: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<CampaignProgress> {
  const [[campaign], [enrollments], [messages], mailboxes] = await Promise.all([
    tx.execute<{
      status: string;
      pause_reason: string | null;
      paused_at: string | null;
      paused_by: string | null;
      pause_cause: PauseCause | null;
    }>(sql`
      select status, pause_reason, paused_at, paused_by, pause_cause from public.campaigns where id = ${campaignId} and workspace_id = ${workspaceId}`),
    tx.execute<{ active: number; completed: number; stopped: number; skipped: number; total: number; next_send_at: string | null }>(sql`
      select count(*) filter (where status = 'active')::int as active,
             count(*) filter (where status = 'completed')::int as completed,
             count(*) filter (where status = 'stopped')::int as stopped,
             count(*) filter (where status = 'skipped')::int as skipped,
             count(*)::int as total,
             min(next_send_at) filter (where status = 'active') as next_send_at
        from public.campaign_enrollments
       where campaign_id = ${campaignId} and workspace_id = ${workspaceId}`),
    tx.execute<{ sent: number; failed: number; skipped: number; queued: number; last_sent_at: string | null }>(sql`
      select count(*) filter (where status = 'sent')::int as sent,
             count(*) filter (where status = 'failed')::int as failed,
             count(*) filter (where status = 'skipped')::int as skipped,
             count(*) filter (where status in ('queued', 'sending'))::int as queued,
             max(sent_at) as last_sent_at
        from public.email_messages
       where campaign_id = ${campaignId} and workspace_id = ${workspaceId}`),
    tx.execute<{ from_email: string; time_zone: string; daily_cap: number; sent_today: number }>(sql`
      select i.from_email, i.time_zone, i.daily_cap, ${sentTodaySql(sql`i.id`, sql`i.time_zone`)} as sent_today
        from public.campaign_identities ci
        join public.sending_identities i on i.id = ci.identity_id
       where ci.campaign_id = ${campaignId} and ci.workspace_id = ${workspaceId}
       order by i.from_email`),
  ]);
  const e = enrollments!;
  const m = messages!;
  return {
    enrollments: { active: e.active, completed: e.completed, stopped: e.stopped, skipped: e.skipped, total: e.total },
    messages: { sent: m.sent, failed: m.failed, skipped: m.skipped, queued: m.queued },
    nextSendAt: e.next_send_at ? new Date(e.next_send_at).toISOString() : null,
    lastSentAt: m.last_sent_at ? new Date(m.last_sent_at).toISOString() : null,
    mailboxes: mailboxes.map((r) => ({ fromEmail: r.from_email, timeZone: r.time_zone, dailyCap: r.daily_cap, sentToday: r.sent_today })),
    pause:
      campaign?.status === "paused"
        ? {
            reason: campaign.pause_reason,
            at: campaign.paused_at ? new Date(campaign.paused_at).toISOString() : null,
            // The breaker or a launch that could not finish; an admin's pause stays theirs after their account is deleted.
            bySystem: campaign.pause_cause ? campaign.pause_cause !== "manual" : campaign.paused_by === null,
          }
        : null,
  };
}
