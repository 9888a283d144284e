import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { workspaceAiSettings } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { spentThisMonthSql } from "./settings";
import type { AiFeature } from "./settings-schema";

/**
 * The month's budget is one for the workspace, whatever calls the model (enrichment, reply
 * reading, each with calls in flight at once). Before a call, its caller reserves the most it
 * can cost (private.ai_budget_reservations, migration 0114): under the lock of the workspace's
 * AI settings row, so reservations are taken one at a time, and only if this month's ledger,
 * the reservations held and this one stay within the budget. The call's usage rows replace the
 * reservation in one transaction (recordAiCalls), so what is spent is counted once, never
 * between the two; a call that never reached the model gives its reservation back.
 */
export type AiReservation = { workspaceId: string; id: string };

/** ok with a null reservation: the workspace has no budget, nothing was reserved. */
export type AiBudgetCheck = { ok: true; reservation: AiReservation | null } | { ok: false; budgetUsd: number };

/**
 * Longer than a call can take (the SDK's timeout and retries, then a repair): a reservation
 * older than this belongs to a process that died, and stops holding the budget back.
 */
const RESERVATION_LIFETIME = "15 minutes";

/** Reserves `maxCostUsd` against the month's budget, or says the budget cannot pay for it. On the service connection, not in a transaction. */
export async function reserveAiSpend(
  db: Database,
  { workspaceId, feature, maxCostUsd }: { workspaceId: string; feature: AiFeature; maxCostUsd: number },
): Promise<AiBudgetCheck> {
  // Without a budget (most workspaces) nothing is reserved: one read, no transaction or lock per call.
  const budgetOf = async (tx: Executor, lock: boolean) => {
    const query = tx
      .select({ budget: workspaceAiSettings.monthlyBudgetUsd })
      .from(workspaceAiSettings)
      .where(eq(workspaceAiSettings.workspaceId, workspaceId));
    const [settings] = lock ? await query.for("no key update") : await query;
    if (!settings) throw notFound("That workspace's AI settings");
    return settings.budget;
  };
  if ((await budgetOf(db, false)) === null) return { ok: true, reservation: null };
  return db.transaction(async (tx) => {
    // Read again under the lock: reservations are taken one at a time, on the budget as it is now.
    const budgetUsd = await budgetOf(tx, true);
    if (budgetUsd === null) return { ok: true, reservation: null };
    const budget = sql`${String(budgetUsd)}::numeric`;
    const amount = sql`ceil(${String(maxCostUsd)}::numeric * 1e8) / 1e8`;
    await tx.execute(sql`delete from private.ai_budget_reservations where workspace_id = ${workspaceId} and expires_at <= now()`);
    // One statement, so one snapshot: a call settling meanwhile is counted once, in the ledger or as its reservation.
    // A free call (a local model) still stops once the budget is reached, as the rest of the product does.
    const [row] = await tx.execute<{ fits: boolean }>(sql`
      select spent + held < ${budget} and spent + held + ${amount} <= ${budget} fits
      from (select ${spentThisMonthSql(workspaceId)} spent,
        (select coalesce(sum(amount_usd), 0) from private.ai_budget_reservations where workspace_id = ${workspaceId}) held) month`);
    if (!row?.fits) return { ok: false, budgetUsd };
    const [reserved] = await tx.execute<{ id: string }>(sql`
      insert into private.ai_budget_reservations (workspace_id, feature, amount_usd, expires_at)
      values (${workspaceId}, ${feature}, ${amount}, now() + ${RESERVATION_LIFETIME}::interval)
      returning id`);
    return { ok: true, reservation: { workspaceId, id: reserved!.id } };
  });
}

/** Gives a reservation back: in the transaction that records the call's cost instead, or when no call was made. */
export async function releaseAiReservation(db: Executor, reservation: AiReservation | null): Promise<void> {
  if (!reservation) return;
  await (db as Database).execute(
    sql`delete from private.ai_budget_reservations where id = ${reservation.id} and workspace_id = ${reservation.workspaceId}`,
  );
}
