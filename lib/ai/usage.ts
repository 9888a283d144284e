import "server-only";
import type { Database, Executor } from "@/db";
import { aiUsage } from "@/db/schema";
import { releaseAiReservation, type AiReservation } from "./budget";
import { costUsd, priceOf, type ModelPrice } from "./pricing";
import type { AiFeature } from "./settings-schema";
import type { AiCall } from "./structured";

/**
 * Writes every call a job made to the usage ledger, priced at the workspace's table now (a
 * model it does not price costs nothing: a local model), and returns what they cost. Jobs
 * call it through the service connection, naming the workspace; in the same transaction as
 * the result the calls produced, so a retried step neither loses nor doubles a row. The calls'
 * reservation against the budget (lib/ai/budget.ts) is given back after the rows are written,
 * in the same transaction: their cost replaces it, and is never left out of the budget meanwhile.
 */
export async function recordAiCalls(
  db: Executor,
  entry: {
    workspaceId: string;
    feature: AiFeature;
    calls: readonly AiCall[];
    prices: Readonly<Record<string, ModelPrice>>;
    leadId?: string | null;
    runId?: string | null;
    reservation?: AiReservation | null;
  },
): Promise<number> {
  const rows = entry.calls.map((call) => ({
    workspaceId: entry.workspaceId,
    feature: entry.feature,
    model: call.model,
    promptTokens: call.usage.promptTokens,
    cachedTokens: Math.min(call.usage.cachedTokens, call.usage.promptTokens),
    completionTokens: call.usage.completionTokens,
    costUsd: costUsd(call.usage, priceOf(call.model, entry.prices)),
    outcome: call.outcome,
    leadId: entry.leadId ?? null,
    runId: entry.runId ?? null,
  }));
  if (rows.length > 0) await (db as Database).insert(aiUsage).values(rows);
  await releaseAiReservation(db, entry.reservation ?? null);
  return rows.reduce((sum, row) => sum + row.costUsd, 0);
}
