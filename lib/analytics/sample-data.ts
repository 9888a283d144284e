import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import type { AnalyticsFilters } from "./range";

/**
 * How much of a range's figures a vendor's sandbox made (lib/integrations/sandbox): the leads it
 * invented (leads.sample_data 'lead': a sandbox import's people, an Instantly sandbox reply's
 * sender) or wrote values into ('values'), the emails sent to those leads and the replies they
 * "gave", and whether Instantly's daily figures were synced from the Instantly sandbox. The
 * analytics page and Home say so beside the numbers, as every list marks a sample row.
 *
 * Cheap whatever the workspace's size: sandbox-made leads are found through their partial index
 * (leads_sample_created_idx, a sandbox serves tens or hundreds of people) and their emails
 * through email_messages_lead_idx; no real lead or raw event is read. RLS applies (the caller's
 * transaction).
 */
export type SampleDataInFigures = {
  /** Leads created in the range that a sandbox invented, per source (the vendor). */
  inventedLeads: { source: string; count: number }[];
  /** Leads created in the range with some values a sandbox wrote. */
  leadsWithSampleValues: number;
  /** Emails sent in the range to either kind of lead, and replies received from them in it. */
  sentToSampleLeads: number;
  repliesFromSampleLeads: number;
  /** Instantly's daily figures come from this app's Instantly sandbox. */
  instantlySandbox: boolean;
};

export type SampleDataQuery = { workspaceId: string; start: Date; end: Date; filters?: Partial<AnalyticsFilters> };

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export async function querySampleData(tx: Executor, q: SampleDataQuery): Promise<SampleDataInFigures> {
  const f = q.filters ?? {};
  const leadFilters: SQL[] = [];
  if (f.ownerId) leadFilters.push(sql`and l.owner_id = ${f.ownerId}`);
  if (f.source) leadFilters.push(sql`and l.source = ${f.source}::public.lead_source`);
  // A message is counted under the owner and source its lead had when it was written, as the rollups count it.
  const messageFilters: SQL[] = [];
  if (f.campaignId) messageFilters.push(sql`and m.campaign_id = ${f.campaignId}`);
  if (f.identityId) messageFilters.push(sql`and m.identity_id = ${f.identityId}`);
  if (f.ownerId) messageFilters.push(sql`and m.lead_owner_id = ${f.ownerId}`);
  if (f.source) messageFilters.push(sql`and m.lead_source = ${f.source}::public.lead_source`);
  const [leads, messages, instantly] = await Promise.all([
    tx.execute<{ source: string; sample_data: "lead" | "values"; n: number }>(sql`
      select l.source::text as source, l.sample_data::text as sample_data, count(*)::int as n
        from public.leads l
       where l.workspace_id = ${q.workspaceId} and l.sample_data is not null and l.deleted_at is null
         and l.created_at >= ${at(q.start)} and l.created_at < ${at(q.end)} ${sql.join(leadFilters, sql` `)}
       group by 1, 2`),
    tx.execute<{ sent: number; replied: number }>(sql`
      select count(*) filter (where m.sent_at >= ${at(q.start)} and m.sent_at < ${at(q.end)})::int as sent,
             count(*) filter (where m.replied_at >= ${at(q.start)} and m.replied_at < ${at(q.end)})::int as replied
        from public.leads l
        join public.email_messages m on m.lead_id = l.id and m.workspace_id = l.workspace_id
       where l.workspace_id = ${q.workspaceId} and l.sample_data is not null and l.created_at < ${at(q.end)}
         and (m.sent_at >= ${at(q.start)} or m.replied_at >= ${at(q.start)}) ${sql.join(messageFilters, sql` `)}`),
    tx.execute<{ sandbox: boolean }>(sql`
      select a.sandbox from public.integration_accounts a
       where a.workspace_id = ${q.workspaceId} and a.vendor = 'instantly' and a.sandbox`),
  ]);
  return {
    inventedLeads: leads
      .filter((r) => r.sample_data === "lead")
      .map((r) => ({ source: r.source, count: r.n }))
      .sort((a, b) => b.count - a.count || a.source.localeCompare(b.source)),
    leadsWithSampleValues: leads.filter((r) => r.sample_data === "values").reduce((n, r) => n + r.n, 0),
    sentToSampleLeads: messages[0]?.sent ?? 0,
    repliesFromSampleLeads: messages[0]?.replied ?? 0,
    instantlySandbox: instantly.length > 0,
  };
}

/** Whether any figure of the range holds sample data (the Instantly sandbox counts only where its figures are shown). */
export function hasSampleData(s: SampleDataInFigures, { instantlyShown }: { instantlyShown: boolean }): boolean {
  return (
    s.inventedLeads.length > 0 ||
    s.leadsWithSampleValues > 0 ||
    s.sentToSampleLeads > 0 ||
    s.repliesFromSampleLeads > 0 ||
    (s.instantlySandbox && instantlyShown)
  );
}
