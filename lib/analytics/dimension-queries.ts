import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { AnalyticsQuery } from "./message-queries";

export type IdentityUsage = { identityId: string; label: string; dailyCap: number; peakDay: number; daysAtCap: number };

/**
 * Each mailbox of the workspace with its cap, its busiest day in the range and how many days it
 * reached its cap (sending_identity_usage counts days of the mailbox's own zone).
 */
export async function queryIdentityUsage(tx: Executor, q: AnalyticsQuery): Promise<IdentityUsage[]> {
  const rows = await tx.execute<{ id: string; label: string; daily_cap: number; peak: number; at_cap: number }>(sql`
    select i.id, i.from_name || ' <' || i.from_email || '>' as label, i.daily_cap,
           coalesce(max(u.sent), 0)::int as peak,
           count(*) filter (where u.sent >= i.daily_cap)::int as at_cap
      from public.sending_identities i
      left join public.sending_identity_usage u
        on u.identity_id = i.id and u.workspace_id = i.workspace_id and u.day between ${q.from}::date and ${q.to}::date
     where i.workspace_id = ${q.workspaceId}
     group by i.id
     order by label`);
  return rows.map((r) => ({ identityId: r.id, label: r.label, dailyCap: r.daily_cap, peakDay: r.peak, daysAtCap: r.at_cap }));
}

/** Names of the people who own leads in the workspace (the per-rep table and the owner filter). */
export async function queryMemberNames(tx: Executor, q: Pick<AnalyticsQuery, "workspaceId">): Promise<Map<string, string>> {
  const rows = await tx.execute<{ id: string; name: string }>(sql`
    select m.user_id as id, coalesce(nullif(p.full_name, ''), p.email) as name
      from public.workspace_members m join public.profiles p on p.id = m.user_id
     where m.workspace_id = ${q.workspaceId}`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The campaigns that ever sent (the campaign filter's choices). */
export async function queryCampaignOptions(tx: Executor, q: Pick<AnalyticsQuery, "workspaceId">) {
  const rows = await tx.execute<{ id: string; name: string }>(sql`
    select c.id, c.name from public.campaigns c
     where c.workspace_id = ${q.workspaceId} and c.launched_at is not null
     order by c.name, c.id`);
  return rows.map((r) => ({ id: r.id, name: r.name }));
}

export type InstantlyDay = {
  day: string;
  instantlyCampaignId: string;
  campaignName: string;
  campaignId: string | null;
  sent: number;
  opened: number;
  replied: number;
  clicked: number;
  opportunities: number;
};

/**
 * Instantly's daily analytics as synced (instantly_campaign_days), for the range's days, named
 * after our campaign when it was launched through Instantly; the campaign filter keeps only
 * that campaign's push.
 */
export async function queryInstantlyDays(tx: Executor, q: AnalyticsQuery): Promise<InstantlyDay[]> {
  const rows = await tx.execute<{
    day: string;
    campaign_id: string;
    our_id: string | null;
    name: string | null;
    sent: string | null;
    opened: string | null;
    replied: string | null;
    clicked: string | null;
    opportunities: string | null;
  }>(sql`
    select d.day::text as day, d.campaign_id, p.campaign_id as our_id, coalesce(c.name, d.campaign_name, d.campaign_id) as name,
           d.sent, coalesce(d.unique_opened, d.opened) as opened, coalesce(d.unique_replies, d.replies) as replied,
           coalesce(d.unique_clicks, d.clicks) as clicked, d.opportunities
      from public.instantly_campaign_days d
      left join public.instantly_campaign_pushes p on p.workspace_id = d.workspace_id and p.instantly_campaign_id = d.campaign_id
      left join public.campaigns c on c.workspace_id = p.workspace_id and c.id = p.campaign_id
     where d.workspace_id = ${q.workspaceId} and d.day between ${q.from}::date and ${q.to}::date
       ${q.filters.campaignId ? sql`and p.campaign_id = ${q.filters.campaignId}` : sql``}
     order by d.day, name`);
  const n = (v: string | null) => (v === null ? 0 : Number(v));
  return rows.map((r) => ({
    day: r.day,
    instantlyCampaignId: r.campaign_id,
    campaignName: r.name ?? r.campaign_id,
    campaignId: r.our_id,
    sent: n(r.sent),
    opened: n(r.opened),
    replied: n(r.replied),
    clicked: n(r.clicked),
    opportunities: n(r.opportunities),
  }));
}
