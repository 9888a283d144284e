import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { pgArray } from "@/db/pg-array";
import { startOfDay } from "@/lib/leads/day-range";
import { dayStartsSql, type AnalyticsRange } from "./range";
import { planRowsSql } from "./read-plan-sql";
import { planSeriesRead } from "./series-days";
import { ANALYTICS_STAGES, type StageCounts } from "./stages";

export type AnalyticsQuery = AnalyticsRange & { workspaceId: string };

const sums = sql.raw(ANALYTICS_STAGES.map((s) => `coalesce(sum(h.${s}), 0)::int as ${s}`).join(", "));
const stageColumns = sql.raw(ANALYTICS_STAGES.map((s) => `f.${s}`).join(", "));

type Dimension = "owner_id" | "identity_id" | "source";
type Rollup = { hours: string; days: string | null; dimensions: Dimension[] };

/** The daily table of each pair of dimensions (migration 0077), by the pair's names in sorted order. */
const PAIR_DAYS: Record<string, string> = {
  "identity_id+owner_id": "analytics_owner_identity_days",
  "owner_id+source": "analytics_owner_source_days",
  "identity_id+source": "analytics_identity_source_days",
};

/**
 * The narrowest message rollup that answers a question (db/schema/analytics.ts, migrations
 * 0067, 0070 and 0077): all of them hold the campaign, step and variant; `by` is the dimension
 * the question groups by, if any, and each of the owner, mailbox and source filters needs its
 * dimension too. None: analytics_campaign_hours and _days; one: that dimension's tables; two:
 * the pair's daily table, with analytics_message_hours (which has them all) for the hours
 * around whole UTC days; all three: analytics_message_hours alone. Each sums to the same counts,
 * so the answer does not depend on the choice. `dimensions` are the columns the question needs.
 */
export function messageRollupFor(q: Pick<AnalyticsQuery, "filters">, by?: Dimension): Rollup {
  const needed = new Set<Dimension>(by ? [by] : []);
  if (q.filters.ownerId) needed.add("owner_id");
  if (q.filters.identityId) needed.add("identity_id");
  if (q.filters.source) needed.add("source");
  const dimensions = [...needed].sort();
  if (dimensions.length > 2) return { hours: "analytics_message_hours", days: null, dimensions };
  if (dimensions.length === 2) return { hours: "analytics_message_hours", days: PAIR_DAYS[dimensions.join("+")]!, dimensions };
  const [only] = dimensions;
  if (!only) return { hours: "analytics_campaign_hours", days: "analytics_campaign_days", dimensions: [] };
  const name = { owner_id: "owner", identity_id: "identity", source: "source" }[only];
  return { hours: `analytics_${name}_hours`, days: `analytics_${name}_days`, dimensions: [only] };
}

/** The filters as conditions on a rollup's rows (its table has every filtered dimension). */
function filterConditions(q: AnalyticsQuery): SQL[] {
  const f = q.filters;
  const parts: SQL[] = [sql`h.workspace_id = ${q.workspaceId}`];
  if (f.campaignId) parts.push(sql`h.campaign_id = ${f.campaignId}`);
  if (f.ownerId) parts.push(sql`h.owner_id = ${f.ownerId}`);
  if (f.identityId) parts.push(sql`h.identity_id = ${f.identityId}`);
  if (f.source) parts.push(sql`h.source = ${f.source}::public.lead_source`);
  return parts;
}

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** The sub-day rollup rows (one per UTC quarter hour, migration 0085) of the range and filters (RLS applies). */
export function messageHoursWhere(q: AnalyticsQuery): SQL {
  return sql.join([...filterConditions(q), sql`h.hour >= ${at(q.start)}`, sql`h.hour < ${at(q.end)}`], sql` and `);
}

/**
 * The rows of a total over the range, as a FROM item `h`: the UTC days the range covers from
 * the daily table and, for its first and last days, the quarter hours of the shorter part
 * (planSeriesRead: a day of Berlin is in the range but for its last hour, whose quarter hours
 * are taken off), so a long range sums a row per day instead of 96. The quarter hours
 * counted are exactly those of messageHoursWhere (a row is in the range when its quarter hour
 * starts in it: every zone's midnight is a quarter hour, so that is when its facts happened).
 */
function messageTotalsFrom(q: AnalyticsQuery, by?: Dimension): SQL {
  const rollup = messageRollupFor(q, by);
  const columns = sql.raw(
    ["campaign_id", "step_position", "variant_label", ...rollup.dimensions, ...ANALYTICS_STAGES].map((c) => `h.${c}`).join(", "),
  );
  if (!rollup.days) {
    return sql`(select ${columns} from ${sql.raw(`public.${rollup.hours}`)} h where ${messageHoursWhere(q)}) h`;
  }
  return planRowsSql(planSeriesRead([q.start], q.end), {
    days: rollup.days,
    hours: rollup.hours,
    where: sql.join(filterConditions(q), sql` and `),
    keys: ["campaign_id", "step_position", "variant_label", ...rollup.dimensions],
    counts: [...ANALYTICS_STAGES],
    bounds: sql`${pgArray([q.start.toISOString()])}::timestamptz[]`,
  });
}

export type FunnelRow = { campaignId: string; campaignName: string; stepPosition: number; variantLabel: string } & StageCounts;

/**
 * The funnel per campaign, step and A/B variant: each stage counted in the quarter hour it first
 * happened. The rollup rows are summed first and the few sums then named after their campaign
 * (joining every row to its campaign before summing doubled the time on a large range).
 */
export async function queryFunnel(tx: Executor, q: AnalyticsQuery): Promise<FunnelRow[]> {
  const rows = await tx.execute<
    FunnelRow & { campaign_id: string; campaign_name: string | null; step_position: number; variant_label: string }
  >(sql`
    select f.campaign_id, c.name as campaign_name, f.step_position, f.variant_label, ${stageColumns}
      from (select h.campaign_id, h.step_position, coalesce(h.variant_label, 'A') as variant_label, ${sums}
              from ${messageTotalsFrom(q)}
             group by h.campaign_id, h.step_position, coalesce(h.variant_label, 'A')) f
      left join public.campaigns c on c.id = f.campaign_id and c.workspace_id = ${q.workspaceId}
     order by c.name, f.campaign_id, f.step_position, f.variant_label`);
  return rows.map((r) => ({
    ...pickStages(r),
    campaignId: r.campaign_id,
    campaignName: r.campaign_name ?? "Deleted campaign",
    stepPosition: r.step_position,
    variantLabel: r.variant_label,
  }));
}

/** One period of the series: `day` is its first day in the range (a day, a week from Monday, a month: lib/analytics/periods.ts). */
export type DailyPoint = { day: string; sent: number; replied: number; bounced: number; complained: number };

/**
 * Sends, replies, bounces and complaints per period of the viewer's zone (`starts`: each
 * period's first day, the range's first included), summed into periods in the database: each
 * UTC day from the daily rollup into the period most of it is in, and the quarter hours of its
 * other parts moved to theirs (planSeriesRead), each row sorted into its period by width_bucket
 * on the periods' first instants or by the plan.
 */
export async function queryDailySeries(tx: Executor, q: AnalyticsQuery, starts: string[]): Promise<DailyPoint[]> {
  const rollup = messageRollupFor(q);
  const bounds = sql`${dayStartsSql(starts, q.timeZone)}::timestamptz[]`;
  const sums = sql`coalesce(sum(h.sent), 0)::int as sent, coalesce(sum(h.replied), 0)::int as replied,
           coalesce(sum(h.bounced), 0)::int as bounced, coalesce(sum(h.complained), 0)::int as complained`;
  const hourly = (where: SQL) => sql`
    select width_bucket(h.hour, ${bounds}) as d, ${sums}
      from ${sql.raw(`public.${rollup.hours}`)} h where ${where} group by 1`;
  let statement: SQL;
  if (!rollup.days) {
    statement = hourly(messageHoursWhere(q));
  } else {
    const plan = planSeriesRead(
      starts.map((d) => startOfDay(d, q.timeZone)),
      q.end,
    );
    const rows = planRowsSql(plan, {
      days: rollup.days,
      hours: rollup.hours,
      where: sql.join(filterConditions(q), sql` and `),
      keys: [],
      counts: ["sent", "replied", "bounced", "complained"],
      bounds,
    });
    statement = sql`select h.d, ${sums} from ${rows} group by 1`;
  }
  const rows = await tx.execute<{ d: number; sent: number; replied: number; bounced: number; complained: number }>(statement);
  const points = starts.map((day) => ({ day, sent: 0, replied: 0, bounced: 0, complained: 0 }));
  for (const r of rows) {
    const point = points[r.d - 1];
    if (!point) continue;
    point.sent += r.sent;
    point.replied += r.replied;
    point.bounced += r.bounced;
    point.complained += r.complained;
  }
  return points;
}

/** Stage counts grouped by one dimension of the rollup (owner, identity or source). */
export async function queryStagesBy(
  tx: Executor,
  q: AnalyticsQuery,
  dimension: Dimension,
): Promise<(StageCounts & { key: string | null; firstStep: number })[]> {
  const column = sql.raw(`h.${dimension}`);
  const rows = await tx.execute<StageCounts & { key: string | null; first_step: number }>(sql`
    select ${column}::text as key, ${sums},
           coalesce(sum(h.sent) filter (where h.step_position = 1), 0)::int as first_step
      from ${messageTotalsFrom(q, dimension)}
     group by ${column}`);
  return rows.map((r) => ({ ...pickStages(r), key: r.key, firstStep: r.first_step }));
}

function pickStages(row: Record<string, unknown>): StageCounts {
  return Object.fromEntries(ANALYTICS_STAGES.map((s) => [s, Number(row[s] ?? 0)])) as StageCounts;
}
