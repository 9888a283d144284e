import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import { matchingLeadsCondition, type LeadQueryScope, type SearchMode } from "./list-filters";
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
 * Counting up to EXACT_TOTAL_UP_TO is only cheap when the matching rows can be found without
 * reading the table: in PostgreSQL cost units (a page read is 1), about what a few milliseconds
 * buy here. A rare filter no index serves would read every lead to find its few matches.
 */
export const COUNT_COST_LIMIT = 5_000;

/**
 * The total the table shows on every page, never a full count. The planner's view of a capped
 * count says both how many rows it expects and what counting them would cost: past
 * EXACT_TOTAL_UP_TO, or too costly to count, the estimate is the answer ("about N"); otherwise
 * the count stops one past EXACT_TOTAL_UP_TO, and is exact below it.
 */
export async function leadListTotal(tx: Executor, scope: LeadQueryScope, search: SearchMode = "index"): Promise<LeadTotal> {
  const capped = sql`select count(*)::int as n from (select 1 from ${leads} where ${matchingLeadsCondition(scope, search)} limit ${EXACT_TOTAL_UP_TO + 1}) m`;
  const plan = await explain(tx, capped);
  // What the scan under the Limit expects, before the cap.
  const limit = findNode(plan, (n) => n["Node Type"] === "Limit");
  const scan = limit?.Plans?.find((n) => n["Parent Relationship"] === "Outer");
  const estimate = Math.round(scan?.["Plan Rows"] ?? plan["Plan Rows"]);
  if (estimate > EXACT_TOTAL_UP_TO || plan["Total Cost"] > COUNT_COST_LIMIT) return { kind: "estimate", value: estimate };
  const [row] = await tx.execute<{ n: number }>(capped);
  const counted = row?.n ?? 0;
  if (counted <= EXACT_TOTAL_UP_TO) return { kind: "exact", value: counted };
  return { kind: "estimate", value: Math.max(estimate, counted) };
}

/** How many leads the planner expects to match: no rows read. */
export async function estimateMatchingLeads(tx: Executor, scope: LeadQueryScope, search: SearchMode): Promise<number> {
  const plan = await explain(tx, sql`select 1 from ${leads} where ${matchingLeadsCondition(scope, search)}`);
  return Math.round(plan["Plan Rows"]);
}

type PlanNode = { "Node Type": string; "Parent Relationship"?: string; "Plan Rows": number; "Total Cost": number; Plans?: PlanNode[] };

function findNode(node: PlanNode, test: (n: PlanNode) => boolean): PlanNode | undefined {
  if (test(node)) return node;
  for (const child of node.Plans ?? []) {
    const found = findNode(child, test);
    if (found) return found;
  }
  return undefined;
}

async function explain(tx: Executor, query: SQL): Promise<PlanNode> {
  const [row] = await tx.execute<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(sql`explain (format json) ${query}`);
  const plan = row?.["QUERY PLAN"];
  const parsed = typeof plan === "string" ? (JSON.parse(plan) as [{ Plan: PlanNode }]) : plan;
  if (!parsed?.[0]) throw new Error("EXPLAIN returned no plan");
  return parsed[0].Plan;
}
