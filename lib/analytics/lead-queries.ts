import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { LEAD_STATUSES, type LeadStatus } from "@/db/schema/lead-enums";
import type { AnalyticsQuery } from "./message-queries";
import { dayStartsSql } from "./range";

export type PipelinePoint = { day: string } & Record<LeadStatus, number>;

/** Lead rollup rows of the workspace and the filters that apply to leads (owner, source). */
function leadHoursWhere(q: AnalyticsQuery): SQL {
  const parts: SQL[] = [sql`h.workspace_id = ${q.workspaceId}`];
  if (q.filters.ownerId) parts.push(sql`h.owner_id = ${q.filters.ownerId}`);
  if (q.filters.source) parts.push(sql`h.source = ${q.filters.source}::public.lead_source`);
  return sql.join(parts, sql` and `);
}

const zeroStatuses = () => Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;

/**
 * How many live leads were in each status at the end of each day of the range: the running
 * sum of the rollup's `net` (what stood before the range, then each hour of it).
 */
export async function queryPipeline(tx: Executor, q: AnalyticsQuery, days: string[]): Promise<PipelinePoint[]> {
  const [before, hours] = await Promise.all([
    tx.execute<{ status: LeadStatus; n: number }>(sql`
      select h.status, coalesce(sum(h.net), 0)::int as n from public.analytics_lead_hours h
       where ${leadHoursWhere(q)} and h.hour < ${q.start.toISOString()}::timestamptz
       group by h.status`),
    // Each hour's change summed into the day of the viewer's zone it falls on (bucket d is days[d - 1]).
    tx.execute<{ d: number; status: LeadStatus; n: number }>(sql`
      select width_bucket(h.hour, ${dayStartsSql(days, q.timeZone)}::timestamptz[]) as d, h.status, sum(h.net)::int as n
        from public.analytics_lead_hours h
       where ${leadHoursWhere(q)} and h.hour >= ${q.start.toISOString()}::timestamptz and h.hour < ${q.end.toISOString()}::timestamptz
       group by 1, 2 having sum(h.net) <> 0`),
  ]);
  const running = zeroStatuses();
  for (const r of before) running[r.status] += r.n;
  const changes = days.map(() => zeroStatuses());
  for (const r of hours) {
    const change = changes[r.d - 1];
    if (change) change[r.status] += r.n;
  }
  return days.map((day, i) => {
    for (const s of LEAD_STATUSES) running[s] += changes[i]![s];
    return { day, ...running };
  });
}

/** Per owner at the end of the range: live leads owned and leads won. */
export async function queryLeadsByOwner(
  tx: Executor,
  q: AnalyticsQuery,
): Promise<{ ownerId: string | null; owned: number; won: number }[]> {
  const rows = await tx.execute<{ owner_id: string | null; owned: number; won: number }>(sql`
    select h.owner_id, coalesce(sum(h.net), 0)::int as owned,
           coalesce(sum(h.net) filter (where h.status = 'won'), 0)::int as won
      from public.analytics_lead_hours h
     where ${leadHoursWhere(q)} and h.hour < ${q.end.toISOString()}::timestamptz
     group by h.owner_id`);
  return rows.map((r) => ({ ownerId: r.owner_id, owned: r.owned, won: r.won }));
}

/** Live leads created in the range, per source. */
export async function queryLeadsCreatedBySource(tx: Executor, q: AnalyticsQuery): Promise<{ source: string; created: number }[]> {
  const rows = await tx.execute<{ source: string; created: number }>(sql`
    select h.source::text as source, coalesce(sum(h.created), 0)::int as created
      from public.analytics_lead_hours h
     where ${leadHoursWhere(q)} and h.hour >= ${q.start.toISOString()}::timestamptz and h.hour < ${q.end.toISOString()}::timestamptz
     group by h.source`);
  return rows.map((r) => ({ source: r.source, created: r.created }));
}
