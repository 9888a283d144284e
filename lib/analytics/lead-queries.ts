import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { pgArray } from "@/db/pg-array";
import { LEAD_STATUSES, type LeadStatus } from "@/db/schema/lead-enums";
import type { AnalyticsQuery } from "./message-queries";
import { startOfDay } from "@/lib/leads/day-range";
import { dayStartsSql } from "./range";
import { planRowsSql } from "./read-plan-sql";
import { planSeriesRead, type ReadPlan } from "./series-days";

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
const COUNTS = new Set(["net", "created"]);

type LeadRollup = { days: string; hours: string };

/** The lead rollups at their full grain: per owner, source and status. */
const LEAD_ROLLUP: LeadRollup = { days: "analytics_lead_days", hours: "analytics_lead_hours" };

/**
 * The rollups the pipeline sums: per status alone when no owner or source filter asks for more
 * (up to 8 rows a day or quarter hour instead of one per owner, source and status; migration 0088).
 */
const pipelineRollup = (q: AnalyticsQuery): LeadRollup =>
  q.filters.ownerId || q.filters.source ? LEAD_ROLLUP : { days: "analytics_lead_status_days", hours: "analytics_lead_status_hours" };

/**
 * The lead rollup rows whose quarter hour starts in [from, to) (from null: since the first), as a
 * FROM item `h` with `columns` (and `d`, 1): the UTC days from analytics_lead_days and, for the
 * range's first and last days, the quarter hours of their shorter parts from analytics_lead_hours
 * (planSeriesRead), or from `rollup`'s tables (fewer columns). Exactly what the sub-day rows
 * `from <= hour < to` sum to.
 */
function leadRowsFrom(q: AnalyticsQuery, from: Date | null, to: Date, columns: string[], rollup: LeadRollup = LEAD_ROLLUP): SQL {
  let plan: ReadPlan;
  if (from) plan = planSeriesRead([from], to);
  else {
    // Every UTC day before the end's is whole; the end's day is planned as a range of its own.
    const endDay = Math.floor(to.getTime() / DAY) * DAY;
    plan = endDay < to.getTime() ? planSeriesRead([new Date(endDay)], to) : { days: null, segments: [] };
    if (endDay > 0) {
      plan.days = plan.days ? { ...plan.days, first: new Date(0) } : { first: new Date(0), last: new Date(endDay - DAY), listed: [] };
    }
  }
  return planRowsSql(plan, {
    ...rollup,
    where: leadHoursWhere(q),
    keys: columns.filter((c) => !COUNTS.has(c)),
    counts: columns.filter((c) => COUNTS.has(c)),
    bounds: sql`${pgArray([(from ?? new Date(0)).toISOString()])}::timestamptz[]`,
  });
}

const zeroStatuses = () => Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;

/**
 * How many live leads were in each status at the end of each period of the range (`days`: the
 * periods' first days, lib/analytics/periods.ts): the running sum of the rollup's `net` (what
 * stood before the range, then each period's change, summed in the database from its UTC days
 * and the quarter hours of the days it shares with another period: planSeriesRead).
 */
export async function queryPipeline(tx: Executor, q: AnalyticsQuery, days: string[]): Promise<PipelinePoint[]> {
  const bounds = sql`${dayStartsSql(days, q.timeZone)}::timestamptz[]`;
  const [before, hours] = await Promise.all([
    tx.execute<{ status: LeadStatus; n: number }>(sql`
      select h.status, coalesce(sum(h.net), 0)::int as n from ${leadRowsFrom(q, null, q.start, ["status", "net"], pipelineRollup(q))}
       group by h.status`),
    // Each quarter hour's change summed into the period of the viewer's zone it falls in (bucket d is days[d - 1]).
    tx.execute<{ d: number; status: LeadStatus; n: number }>(sql`
      select h.d, h.status, sum(h.net)::int as n
        from ${planRowsSql(
          planSeriesRead(
            days.map((d) => startOfDay(d, q.timeZone)),
            q.end,
          ),
          { ...pipelineRollup(q), where: leadHoursWhere(q), keys: ["status"], counts: ["net"], bounds },
        )}
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
