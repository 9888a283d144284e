import { sql } from "drizzle-orm";
import { withUserTx } from "@/db";
import { leads } from "@/db/schema";
import { selectionCondition } from "@/lib/leads/bulk/selection-sql";
import { getInsightRunProgress } from "@/lib/ai/enrichment/runs/control-insight-run";
import { estimateInsightRun, sendInsightRunEvent, startInsightRun, type InsightTarget } from "@/lib/ai/enrichment/runs/start-insight-run";
import { actingMember, CliError, findWorkspace, strictLeadFilter, type CliActor, type CliIo } from "../context";
import { count, follow, percent, type JobRunner } from "../follow";
import { terminalSafe } from "@/lib/text/showable";

export type EnrichOptions = {
  workspace: string;
  as?: string;
  filter?: string;
  import?: string;
  homepage: boolean;
  yes: boolean;
  wait: boolean;
};

const usd = (value: number) => `$${value > 0 && value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;

/**
 * `enrich`: icebreakers, summaries and fit scores for the leads of a filter (the leads page's
 * query string, e.g. "status=new&country=DE") or of an import. Always estimates first; spends
 * only with --yes, at the estimate it printed (a start that would now cost clearly more is refused).
 */
export async function enrichCommand(io: CliIo, jobs: JobRunner, options: EnrichOptions): Promise<"completed" | "other"> {
  if ((options.filter === undefined) === (options.import === undefined))
    throw new CliError('Say which leads with either --filter "<leads page query>" or --import <import id>.');
  if (options.filter !== undefined) strictLeadFilter(options.filter);
  const workspace = await findWorkspace(options.workspace);
  const actor = await actingMember(workspace, options.as);
  const target: InsightTarget =
    options.import !== undefined ? { importId: options.import } : { selection: await filterSelection(actor, options.filter!) };
  const input = { target, fetchHomepage: options.homepage };
  const estimate = await withUserTx(actor.claims, (tx) => estimateInsightRun(tx, actor, input));
  io.out(
    `${count(estimate.leads)} leads: ${count(estimate.cached)} answered from the cache, ${count(estimate.toAsk)} to ask ${estimate.model}` +
      (estimate.notPermitted > 0 ? ` (${count(estimate.notPermitted)} of other reps left alone)` : "") +
      `.\nEstimate: ${count(estimate.promptTokens)} prompt and ${count(estimate.completionTokens)} completion tokens, ${usd(estimate.costUsd)}` +
      (estimate.remainingUsd === null ? " (no monthly budget).\n" : `, with ${usd(estimate.remainingUsd)} left of this month's budget.\n`),
  );
  if (!options.yes) {
    io.out("Nothing was spent. Run again with --yes to start.\n");
    return "other";
  }
  const started = await withUserTx(actor.claims, (tx) => startInsightRun(tx, actor, { ...input, confirmedCostUsd: estimate.costUsd }));
  await sendInsightRunEvent({ workspaceId: workspace.id, runId: started.runId, requestedBy: actor.userId });
  io.err(`Enrichment ${started.runId} started for ${count(started.leads)} leads.\n`);
  if (!options.wait) {
    io.out(`${started.runId}\n`);
    return "other";
  }
  const run = await follow(io, jobs, ["enrich-lead-insights"], async () => {
    const p = await withUserTx(actor.claims, (tx) => getInsightRunProgress(tx, actor, started.runId));
    return {
      done: ["completed", "failed", "cancelled", "paused"].includes(p.status),
      line: `${p.status}: ${count(p.processed)} of ${count(p.total)} leads (${percent(p.processed, p.total)}) — ${count(p.enriched)} enriched, ${count(p.cached)} cached, ${count(p.failed)} failed, ${usd(p.costUsd)} spent`,
      value: p,
    };
  });
  io.out(
    `Enrichment ${run.runId} ${run.status}: ${count(run.enriched)} enriched, ${count(run.cached)} from the cache, ${count(run.failed)} failed, ${usd(run.costUsd)} spent.\n`,
  );
  if (run.error) io.out(`${terminalSafe(run.error)}\n`);
  return run.status === "completed" ? "completed" : "other";
}

/** A filter as the bulk bar sends it: the query string, with the count of leads it matches now (as the person sees them). */
async function filterSelection(actor: CliActor, filter: string) {
  const [row] = await withUserTx(actor.claims, (tx) =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(leads)
      .where(
        selectionCondition({ kind: "filter", query: filter }, { workspaceId: actor.workspaceId, userId: actor.userId, restoring: false }),
      ),
  );
  if (!row?.n) throw new CliError(`No lead matches "${filter}".`);
  return { filter, confirmedCount: row.n };
}
