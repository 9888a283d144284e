import { and, desc, eq, gte, sql } from "drizzle-orm";
import { serviceDb, withUserTx } from "@/db";
import { jobEvents, jobRuns } from "@/db/schema";
import { assertIntegrationsManager, listIntegrationAccounts } from "@/lib/integrations/accounts/accounts";
import { requestInstantlySync } from "@/lib/integrations/instantly/request-sync";
import { describeServices, env } from "@/lib/env";
import { actingMember, CliError, findWorkspace, type CliIo } from "../context";
import { follow, type JobRunner } from "../follow";
import { terminalSafe } from "@/lib/text/showable";

export type SyncOptions = { workspace: string; as?: string; wait: boolean };

const FINISHED = ["completed", "failed", "cancelled"];

/**
 * `instantly sync`: the Settings page's "Sync now", as the admin named by --as (audited as
 * theirs), then, with the local executor, follows the sync's job run to its end.
 */
export async function instantlySyncCommand(io: CliIo, jobs: JobRunner, options: SyncOptions): Promise<"completed" | "queued" | "other"> {
  const workspace = await findWorkspace(options.workspace);
  const actor = await actingMember(workspace, options.as);
  assertIntegrationsManager(actor);
  const [account] = (await withUserTx(actor.claims, (tx) => listIntegrationAccounts(tx, { workspaceId: workspace.id }))).filter(
    (a) => a.vendor === "instantly",
  );
  if (!account) throw new CliError(`${workspace.slug} has no Instantly connection: connect one in Settings → Integrations.`);
  const requestedAt = new Date(Date.now() - 1000);
  await withUserTx(actor.claims, (tx) => requestInstantlySync(tx, actor, { accountId: account.id }));
  io.err(`Instantly sync requested for ${workspace.slug}.\n`);
  if (!options.wait) return "queued";
  if (describeServices(env()).jobs !== "local-executor") {
    // Asked for and handed to Inngest: that is this command's whole success; the run is Inngest's to report.
    io.err("Inngest runs it: follow it in Inngest's dashboard.\n");
    return "queued";
  }
  const run = await follow(io, jobs, ["sync-instantly"], async () => {
    const [latest] = await serviceDb()
      .select({ id: jobRuns.id, status: jobRuns.status, error: jobRuns.error })
      .from(jobRuns)
      .innerJoin(jobEvents, eq(jobEvents.id, jobRuns.eventId))
      .where(
        and(
          eq(jobRuns.workspaceId, workspace.id),
          eq(jobRuns.functionId, "sync-instantly"),
          gte(jobRuns.createdAt, requestedAt),
          sql`${jobEvents.data} @> ${JSON.stringify({ accountId: account.id })}::jsonb`,
        ),
      )
      .orderBy(desc(jobRuns.createdAt))
      .limit(1);
    return {
      done: latest !== undefined && FINISHED.includes(latest.status),
      line: latest ? `sync ${latest.status}` : "sync queued",
      value: latest,
    };
  });
  io.out(`Instantly sync ${run!.status}${run!.error ? `: ${terminalSafe(run!.error.message)}` : "."}\n`);
  return run!.status === "completed" ? "completed" : "other";
}
