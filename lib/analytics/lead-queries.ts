import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { LEAD_STATUSES, type LeadStatus } from "@/db/schema/lead-enums";
import type { AnalyticsQuery } from "./message-queries";
import { dayStartsSql } from "./range";
import { QUARTER } from "./series-days";

/** The leads in each status at the end of a period (`day`: its first day in the range; a day, week or month). */
export type PipelinePoint = { day: string } & Record<LeadStatus, number>;

/** Lead rollup rows of the workspace and the filters that apply to leads (owner, source). */
function leadHoursWhere(q: AnalyticsQuery): SQL {
  const parts: SQL[] = [sql`h.workspace_id = ${q.workspaceId}`];
  if (q.filters.ownerId) parts.push(sql`h.owner_id = ${q.filters.ownerId}`);
  if (q.filters.source) parts.push(sql`h.source = ${q.filters.source}::public.lead_source`);
  return sql.join(parts, sql` and `);
}

const DAY = 86_400_000;
const at = (t: number) => sql`${new Date(t).toISOString()}::timestamptz`;

/**
 * The lead rollup rows whose quarter hour starts in [from, to) (from null: since the first), as a
 * FROM item `h` with `columns`: the whole UTC days from analytics_lead_days, the quarter hours
 * around them from analytics_lead_hours. Exactly the sub-day rows `from <= hour < to` would give.
 */
function leadRowsFrom(q: AnalyticsQuery, from: Date | null, to: Date, columns: string[]): SQL {
  const cols = sql.raw(columns.map((c) => `h.${c}`).join(", "));
  const h0 = from ? Math.ceil(from.getTime() / QUARTER) * QUARTER : null;
  const h1 = Math.ceil(to.getTime() / QUARTER) * QUARTER;
  const d0 = h0 === null ? null : Math.ceil(h0 / DAY) * DAY;
  const d1 = Math.floor(h1 / DAY) * DAY;
  if (d0 !== null && h0 !== null && d0 >= d1) {
    return sql`(select ${cols} from public.analytics_lead_hours h where ${leadHoursWhere(q)} and h.hour >= ${at(h0)} and h.hour < ${at(h1)}) h`;
  }
  const daysFrom = d0 === null ? sql`` : sql` and h.day >= ${at(d0)}`;
  const before = d0 === null || h0 === null ? sql`false` : sql`(h.hour >= ${at(h0)} and h.hour < ${at(d0)})`;
  return sql`(
    select ${cols} from public.analytics_lead_days h where ${leadHoursWhere(q)}${daysFrom} and h.day < ${at(d1)}
    union all
    select ${cols} from public.analytics_lead_hours h
     where ${leadHoursWhere(q)} and (${before} or (h.hour >= ${at(d1)} and h.hour < ${at(h1)}))) h`;
}

/** The hourly rows the pipeline's days sum: per status alone when no owner or source filter asks for more. */
const statusHours = (q: AnalyticsQuery) =>
  sql.raw(q.filters.ownerId || q.filters.source ? "public.analytics_lead_hours" : "public.analytics_lead_status_hours");

const zeroStatuses = () => Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;

/**
 * How many live leads were in each status at the end of each period of the range (`days`: the
 * periods' first days, lib/analytics/periods.ts): the running sum of the rollup's `net` (what
 * stood before the range, then each hour of it, summed per period in the database).
 */
export async function queryPipeline(tx: Executor, q: AnalyticsQuery, days: string[]): Promise<PipelinePoint[]> {
  const [before, hours] = await Promise.all([
    tx.execute<{ status: LeadStatus; n: number }>(sql`
      select h.status, coalesce(sum(h.net), 0)::int as n from ${leadRowsFrom(q, null, q.start, ["status", "net"])}
       group by h.status`),
    // Each hour's change summed into the period of the viewer's zone it falls in (bucket d is days[d - 1]).
    tx.execute<{ d: number; status: LeadStatus; n: number }>(sql`
      select width_bucket(h.hour, ${dayStartsSql(days, q.timeZone)}::timestamptz[]) as d, h.status, sum(h.net)::int as n
        from ${statusHours(q)} h
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
      from ${leadRowsFrom(q, null, q.end, ["owner_id", "status", "net"])}
     group by h.owner_id`);
  return rows.map((r) => ({ ownerId: r.owner_id, owned: r.owned, won: r.won }));
}

/** Live leads created in the range, per source. */
export async function queryLeadsCreatedBySource(tx: Executor, q: AnalyticsQuery): Promise<{ source: string; created: number }[]> {
  const rows = await tx.execute<{ source: string; created: number }>(sql`
    select h.source::text as source, coalesce(sum(h.created), 0)::int as created
      from ${leadRowsFrom(q, q.start, q.end, ["source", "created"])}
     group by h.source`);
  return rows.map((r) => ({ source: r.source, created: r.created }));
}
