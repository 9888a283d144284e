import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import { matchingLeadsCondition, type LeadQueryScope } from "./list-filters";
import type { LeadTotal } from "./lead-list-types";

/** Up to this many matching leads the table shows the exact number; past it, "about N". */
export const EXACT_TOTAL_UP_TO = 10_000;

/**
 * The exact number of leads matching a state: what a bulk action or an export confirms before
 * it runs. A full count (tens of milliseconds per million rows), so not for every page.
 */
export async function countMatchingLeads(tx: Executor, scope: LeadQueryScope): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${leads} where ${matchingLeadsCondition(scope)}`);
  return row?.n ?? 0;
}

/**
 * The total the table shows on every page, never a full count: counting stops one past
 * EXACT_TOTAL_UP_TO, and when the planner already expects far more than that, its estimate is
 * the answer without counting at all.
 */
export async function leadListTotal(tx: Executor, scope: LeadQueryScope): Promise<LeadTotal> {
  const where = matchingLeadsCondition(scope);
  const estimate = await plannerEstimate(tx, where);
  if (estimate > EXACT_TOTAL_UP_TO * 4) return { kind: "estimate", value: estimate };
  const [row] = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${leads} where ${where} limit ${EXACT_TOTAL_UP_TO + 1}) m`,
  );
  const counted = row?.n ?? 0;
  if (counted <= EXACT_TOTAL_UP_TO) return { kind: "exact", value: counted };
  return { kind: "estimate", value: Math.max(estimate, counted) };
}

async function plannerEstimate(tx: Executor, where: SQL): Promise<number> {
  const [row] = await tx.execute<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    sql`explain (format json) select 1 from ${leads} where ${where}`,
  );
  const plan = row?.["QUERY PLAN"];
  const parsed = typeof plan === "string" ? (JSON.parse(plan) as [{ Plan: { "Plan Rows": number } }]) : plan;
  return Math.round(parsed?.[0]?.Plan["Plan Rows"] ?? 0);
}
