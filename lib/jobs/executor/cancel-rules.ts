import type { Sql, TransactionSql } from "postgres";
import { parseExpression } from "./expressions";
import type { CancelRule, Registry } from "./registry";

/**
 * Every executor's cancelOn rules, shared through private.job_cancel_rules.
 *
 * Why: an event is fanned out once, by whichever executor locks it first (dispatcher.ts), and
 * that executor knew only the rules of its own functions. Executors with different sets of
 * functions on one database (two releases side by side during a deploy; a worker started with
 * some functions only; the test files of the suite, each with its own executor) then left a
 * run sleeping through the pause, stop or reply meant to end it, whenever another executor took
 * the event first. Inngest cancels the runs of every function listening for the event, so the
 * dispatcher applies the rules of its own functions from memory and everyone else's from here.
 *
 * Each executor publishes its functions' rules when it starts, replacing what an earlier release
 * of the same function published (the last executor to start wins for the others; each applies
 * its own from memory). A rule only cancels runs of its own function, so a row left by a
 * function no executor runs any more matches nothing.
 */

type StoredRule = { event: string; expression: string; timeoutMs?: number };

/** Publishes the cancelOn rules of `registry`'s functions, and withdraws those its functions no longer have. */
export async function publishCancelRules(sql: Sql, registry: Registry): Promise<void> {
  const rows: { function_id: string; rules: string }[] = [];
  const without: string[] = [];
  for (const fn of registry.functions.values()) {
    if (fn.cancelOn.length === 0) without.push(fn.id);
    else rows.push({ function_id: fn.id, rules: JSON.stringify(fn.cancelOn.map(storedRule)) });
  }
  await sql.begin(async (tx) => {
    if (rows.length > 0)
      await tx`
        insert into private.job_cancel_rules (function_id, rules)
        select r.function_id, r.rules::jsonb from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as r(function_id text, rules text)
        on conflict (function_id) do update set rules = excluded.rules, published_at = now()`;
    if (without.length > 0) await tx`delete from private.job_cancel_rules where function_id = any(${without}::text[])`;
  });
}

/**
 * The published rules of functions not in `registry` that listen for any of `eventNames`, as
 * the dispatcher applies them. A rule whose expression this release cannot evaluate (published
 * by another release) is left out.
 */
export async function publishedCancelRules(tx: TransactionSql, registry: Registry, eventNames: string[]): Promise<CancelRule[]> {
  if (eventNames.length === 0) return [];
  const rows = await tx<{ function_id: string; rules: StoredRule[] }[]>`
    select function_id, rules from private.job_cancel_rules
    where function_id <> all(${[...registry.functions.keys()]}::text[])
      and exists (select from jsonb_array_elements(rules) r where r ->> 'event' = any(${eventNames}::text[]))`;
  const rules: CancelRule[] = [];
  for (const row of rows) {
    for (const stored of row.rules) {
      if (!eventNames.includes(stored.event)) continue;
      const rule = ruleOf(row.function_id, stored);
      if (rule) rules.push(rule);
    }
  }
  return rules;
}

function storedRule(rule: CancelRule): StoredRule {
  return { event: rule.event, expression: rule.expression, ...(rule.timeoutMs === undefined ? {} : { timeoutMs: rule.timeoutMs }) };
}

function ruleOf(functionId: string, stored: StoredRule): CancelRule | null {
  try {
    const equalities = stored.expression ? parseExpression(stored.expression) : [];
    return { functionId, event: stored.event, expression: stored.expression, equalities, timeoutMs: stored.timeoutMs };
  } catch {
    return null;
  }
}
