import "server-only";
import { sql } from "drizzle-orm";
import { textSortKey } from "@/db/schema/_sort-key";
import type { Executor } from "@/db";

/**
 * The Instantly campaigns a workspace's sync stored, for its members (the raw tables' RLS lets
 * members read): the list with their totals, and one campaign with its daily analytics, as the
 * normalised view instantly_campaign_days reads them. A record the sandbox served says
 * `sample_data: true` in its raw JSON: the pages label it so, whatever account is connected now.
 */
export const INSTANTLY_CAMPAIGN_STATUS: Record<string, string> = {
  "0": "Draft",
  "1": "Active",
  "2": "Paused",
  "3": "Completed",
  "4": "Running subsequences",
  "-1": "Accounts unhealthy",
  "-2": "Bounce protect",
  "-99": "Account suspended",
};

export const instantlyCampaignStatusLabel = (status: number | null) =>
  status === null ? "Unknown" : (INSTANTLY_CAMPAIGN_STATUS[String(status)] ?? `Status ${status}`);

export type SyncedInstantlyCampaign = {
  instantlyId: string;
  name: string;
  status: number | null;
  sampleData: boolean;
  createdAt: string | null;
  fetchedAt: Date;
  days: number;
  sent: number;
  uniqueOpened: number;
  replies: number;
  opportunities: number;
};

export type InstantlyCampaignDay = {
  day: string;
  sent: number;
  contacted: number;
  newLeadsContacted: number;
  opened: number;
  uniqueOpened: number;
  replies: number;
  uniqueReplies: number;
  clicks: number;
  opportunities: number;
};

type Row = {
  instantly_id: string;
  name: string | null;
  status: string | null;
  sample_data: boolean;
  created_at: string | null;
  fetched_at: Date | string;
  days: number;
  sent: string | null;
  unique_opened: string | null;
  replies: string | null;
  opportunities: string | null;
};

const num = (v: string | number | null | undefined) => (v === null || v === undefined ? 0 : Number(v));

function campaignOf(r: Row): SyncedInstantlyCampaign {
  return {
    instantlyId: r.instantly_id,
    name: r.name?.trim() || "(unnamed campaign)",
    status: r.status === null || Number.isNaN(Number(r.status)) ? null : Number(r.status),
    sampleData: r.sample_data,
    createdAt: r.created_at,
    fetchedAt: new Date(r.fetched_at),
    days: r.days,
    sent: num(r.sent),
    uniqueOpened: num(r.unique_opened),
    replies: num(r.replies),
    opportunities: num(r.opportunities),
  };
}

const campaignsQuery = (workspaceId: string, instantlyId?: string) => sql`
  select c.instantly_id, c.raw->>'name' as name,
    case when jsonb_typeof(c.raw->'status') = 'number' then c.raw->>'status' end as status,
    coalesce((c.raw->>'sample_data')::boolean, false) as sample_data,
    c.raw->>'timestamp_created' as created_at, c.fetched_at,
    count(d.day)::int as days, sum(d.sent) as sent, sum(d.unique_opened) as unique_opened,
    sum(d.replies) as replies, sum(d.opportunities) as opportunities
  from public.instantly_campaigns c
  left join public.instantly_campaign_days d on d.workspace_id = c.workspace_id and d.campaign_id = c.instantly_id
  where c.workspace_id = ${workspaceId} ${instantlyId === undefined ? sql`` : sql`and c.instantly_id = ${instantlyId}`}
  group by c.instantly_id, c.raw, c.fetched_at
  order by ${textSortKey(sql`coalesce(c.raw->>'name', '')`)}, c.instantly_id
  limit 500`;

export async function listSyncedInstantlyCampaigns(tx: Executor, { workspaceId }: { workspaceId: string }) {
  const rows = await tx.execute<Row>(campaignsQuery(workspaceId));
  return rows.map(campaignOf);
}

/** One synced campaign and its days, oldest first; null when this workspace has no such campaign. */
export async function getSyncedInstantlyCampaign(
  tx: Executor,
  { workspaceId, instantlyId }: { workspaceId: string; instantlyId: string },
): Promise<{ campaign: SyncedInstantlyCampaign; days: InstantlyCampaignDay[] } | null> {
  const [row] = await tx.execute<Row>(campaignsQuery(workspaceId, instantlyId));
  if (!row) return null;
  const days = await tx.execute<Record<string, string | null>>(sql`
    select day::text as day, sent, contacted, new_leads_contacted, opened, unique_opened, replies, unique_replies, clicks, opportunities
    from public.instantly_campaign_days
    where workspace_id = ${workspaceId} and campaign_id = ${instantlyId}
    order by day`);
  return {
    campaign: campaignOf(row),
    days: days.map((d) => ({
      day: d.day!,
      sent: num(d.sent),
      contacted: num(d.contacted),
      newLeadsContacted: num(d.new_leads_contacted),
      opened: num(d.opened),
      uniqueOpened: num(d.unique_opened),
      replies: num(d.replies),
      uniqueReplies: num(d.unique_replies),
      clicks: num(d.clicks),
      opportunities: num(d.opportunities),
    })),
  };
}

/** Our campaign that an Instantly campaign was launched from, with what we pushed and what came back to our leads. */
export type LaunchedFromHere = {
  campaignId: string;
  campaignName: string;
  pushStatus: string;
  activatedAt: Date | null;
  leadsUploaded: number;
  leadsSkipped: number;
  leadsBlocked: number;
  /** Our leads Instantly holds in this campaign (linked by email), and how many of them replied, bounced or unsubscribed. */
  linkedLeads: number;
  replied: number;
  bounced: number;
  unsubscribed: number;
};

/**
 * The campaign of this app an Instantly campaign was pushed from (lib/integrations/instantly/push),
 * or null for one created in Instantly itself: the push's own counts, and the states the sync
 * and the webhooks reflected on our leads of that campaign.
 */
export async function launchedFromHere(
  tx: Executor,
  { workspaceId, instantlyId }: { workspaceId: string; instantlyId: string },
): Promise<LaunchedFromHere | null> {
  const [row] = await tx.execute<{
    campaign_id: string;
    campaign_name: string;
    status: string;
    activated_at: string | null;
    leads_uploaded: number;
    leads_skipped: number;
    leads_blocked: number;
    linked: number;
    replied: number;
    bounced: number;
    unsubscribed: number;
  }>(sql`
    select p.campaign_id, c.name as campaign_name, p.status, p.activated_at, p.leads_uploaded, p.leads_skipped, p.leads_blocked,
      coalesce(o.linked, 0)::int as linked, coalesce(o.replied, 0)::int as replied, coalesce(o.bounced, 0)::int as bounced,
      coalesce(o.unsubscribed, 0)::int as unsubscribed
    from public.instantly_campaign_pushes p
    join public.campaigns c on c.id = p.campaign_id and c.workspace_id = p.workspace_id
    left join lateral (
      select count(*) as linked,
        count(*) filter (where l.status in ('replied', 'interested', 'meeting', 'won')) as replied,
        count(*) filter (where l.status = 'bounced') as bounced,
        count(*) filter (where l.status = 'unsubscribed') as unsubscribed
      from public.instantly_lead_links k
      join public.leads l on l.id = k.lead_id and l.workspace_id = k.workspace_id
      where k.workspace_id = p.workspace_id and k.campaign_id = p.instantly_campaign_id
    ) o on true
    where p.workspace_id = ${workspaceId} and p.instantly_campaign_id = ${instantlyId}`);
  if (!row) return null;
  return {
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    pushStatus: row.status,
    activatedAt: row.activated_at ? new Date(row.activated_at) : null,
    leadsUploaded: Number(row.leads_uploaded),
    leadsSkipped: Number(row.leads_skipped),
    leadsBlocked: Number(row.leads_blocked),
    linkedLeads: row.linked,
    replied: row.replied,
    bounced: row.bounced,
    unsubscribed: row.unsubscribed,
  };
}
