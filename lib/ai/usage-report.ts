import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { AI_FEATURES, type AiFeature } from "./settings-schema";
import { resolveUsageMonth, type UsageMonth } from "./usage-month";

export type UsageTotals = { calls: number; promptTokens: number; cachedTokens: number; completionTokens: number; costUsd: number };

export type UsageDay = { day: string; costUsd: Record<AiFeature, number>; calls: number };

export type UsageReport = {
  month: string;
  /** The month shown, its neighbours, and a notice when it is not the one asked for. */
  range: UsageMonth;
  timeZone: string;
  /** Every day of the month up to today, zeros included, so the chart's axis has no holes. */
  days: UsageDay[];
  byFeature: ({ feature: AiFeature } & UsageTotals)[];
  byModel: ({ model: string } & UsageTotals)[];
  total: UsageTotals;
};

type Row = {
  day: string;
  feature: AiFeature;
  model: string;
  calls: number;
  prompt_tokens: string;
  cached_tokens: string;
  completion_tokens: string;
  cost_usd: string;
};

const zero = (): UsageTotals => ({ calls: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, costUsd: 0 });

function add(into: UsageTotals, row: Row) {
  into.calls += row.calls;
  into.promptTokens += Number(row.prompt_tokens);
  into.cachedTokens += Number(row.cached_tokens);
  into.completionTokens += Number(row.completion_tokens);
  into.costUsd += Number(row.cost_usd);
}

/**
 * A month of the workspace's AI spend from the usage ledger, by day (in the workspace's time
 * zone, as the budget counts), by feature and by model. Read under the user's RLS: members
 * with analytics.read see their workspace's ledger, nobody else's. One grouped scan of the
 * month through ai_usage_workspace_created_idx. The month asked for (`YYYY-MM`, from the
 * page's address) is checked first: a malformed, future or too old one is replaced, with a notice.
 */
export async function aiUsageReport(
  db: Executor,
  { workspaceId, month: asked }: { workspaceId: string; month: string | undefined },
  /** Which month is "this month" (tests pin it; the page takes the clock's). */
  now = new Date(),
): Promise<UsageReport> {
  const [zone] = await db.execute<{ time_zone: string }>(sql`select time_zone from workspaces where id = ${workspaceId}`);
  const timeZone = zone?.time_zone ?? "UTC";
  const range = resolveUsageMonth(asked, timeZone, now);
  const month = range.month;
  const start = sql`(${`${month}-01`}::date::timestamp at time zone ${timeZone})`;
  const end = sql`((${`${month}-01`}::date + interval '1 month')::timestamp at time zone ${timeZone})`;
  const rows = await db.execute<Row>(sql`
    select to_char(created_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, feature, model,
      count(*)::int as calls, sum(prompt_tokens)::text as prompt_tokens, sum(cached_tokens)::text as cached_tokens,
      sum(completion_tokens)::text as completion_tokens, sum(cost_usd)::text as cost_usd
    from ai_usage
    where workspace_id = ${workspaceId} and created_at >= ${start} and created_at < ${end}
    group by 1, 2, 3`);
  const [today] = await db.execute<{ today: string }>(sql`select to_char(now() at time zone ${timeZone}, 'YYYY-MM-DD') as today`);

  const days = new Map<string, UsageDay>();
  const [year, m] = month.split("-").map(Number) as [number, number];
  const length = new Date(Date.UTC(year, m, 0)).getUTCDate();
  for (let d = 1; d <= length; d++) {
    const day = `${month}-${String(d).padStart(2, "0")}`;
    if (day > today!.today) break;
    days.set(day, { day, costUsd: Object.fromEntries(AI_FEATURES.map((f) => [f, 0])) as Record<AiFeature, number>, calls: 0 });
  }
  const byFeature = new Map<AiFeature, UsageTotals>(AI_FEATURES.map((f) => [f, zero()]));
  const byModel = new Map<string, UsageTotals>();
  const total = zero();
  for (const row of rows) {
    // A row dated after today (a clock moved back) still belongs to the month: its day is added.
    const day = days.get(row.day) ?? {
      day: row.day,
      costUsd: Object.fromEntries(AI_FEATURES.map((f) => [f, 0])) as Record<AiFeature, number>,
      calls: 0,
    };
    days.set(row.day, day);
    day.costUsd[row.feature] += Number(row.cost_usd);
    day.calls += row.calls;
    add(byFeature.get(row.feature)!, row);
    if (!byModel.has(row.model)) byModel.set(row.model, zero());
    add(byModel.get(row.model)!, row);
    add(total, row);
  }
  return {
    month,
    range,
    timeZone,
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    byFeature: [...byFeature].map(([feature, totals]) => ({ feature, ...totals })),
    byModel: [...byModel]
      .map(([model, totals]) => ({ model, ...totals }))
      .sort((a, b) => b.costUsd - a.costUsd || a.model.localeCompare(b.model)),
    total,
  };
}
