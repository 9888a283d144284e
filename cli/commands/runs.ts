import { serviceDb } from "@/db";
import { JOB_RUN_STATUSES, type JobRunStatus } from "@/db/schema";
import { describeServices, env } from "@/lib/env";
import { getJobRun } from "@/lib/jobs/runs/get-job-run";
import { listJobRuns } from "@/lib/jobs/runs/list-job-runs";
import { cancelJobRun, replayJobRun, type RunActor } from "@/lib/jobs/runs/manage-job-run";
import { CliError, findWorkspace, isUuid, type CliIo } from "../context";
import { follow, localFunctionId, type JobRunner } from "../follow";
import { terminalSafe } from "@/lib/text/showable";

/** The audit log's actor for an operator: the command line, no account. */
const FROM_CLI: RunActor = { userId: null, via: "cli" };

function assertLocalJobs() {
  if (describeServices(env()).jobs !== "local-executor")
    throw new CliError("Inngest runs this installation's jobs: list and replay them in Inngest's dashboard.");
}

export type ListRunsOptions = { workspace: string; status?: string; function?: string; limit: string };

/** `runs list`: the workspace's job runs, newest first, as the Jobs page lists them. */
export async function listRunsCommand(io: CliIo, options: ListRunsOptions): Promise<void> {
  assertLocalJobs();
  if (options.status !== undefined && !(JOB_RUN_STATUSES as readonly string[]).includes(options.status))
    throw new CliError(`--status is one of ${JOB_RUN_STATUSES.join(", ")}.`);
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new CliError("--limit is a whole number from 1 to 200.");
  const workspace = await findWorkspace(options.workspace);
  const page = await listJobRuns(serviceDb(), {
    workspaceId: workspace.id,
    status: options.status as JobRunStatus | undefined,
    functionId: options.function,
    limit,
  });
  if (page.runs.length === 0) io.err("No job runs match.\n");
  for (const run of page.runs) {
    const replay = run.replayOf ? ` (replay of ${run.replayOf})` : "";
    const error = run.error ? ` — ${terminalSafe(run.error.message)}` : "";
    io.out(`${run.id}  ${run.createdAt.toISOString()}  ${run.status.padEnd(9)}  ${run.functionId}${replay}${error}\n`);
  }
}

/**
 * `runs replay <id>`: a new run of the same function with the same event, from scratch, as the
 * Jobs page's Replay; the functions are written to be replayed (their steps upsert and skip
 * what is done), so a replay does not do the work twice. Follows the new run to its end.
 */
export async function replayRunCommand(
  io: CliIo,
  jobs: JobRunner,
  runId: string,
  options: { workspace: string; wait: boolean },
): Promise<"completed" | "other"> {
  assertLocalJobs();
  assertRunId(runId);
  const workspace = await findWorkspace(options.workspace);
  // A run of a function this installation does not have is refused before its replay is queued.
  const { functionId } = await getJobRun(serviceDb(), { workspaceId: workspace.id, runId });
  if (options.wait) localFunctionId(functionId);
  const replay = await replayJobRun(serviceDb(), { workspaceId: workspace.id, runId }, FROM_CLI);
  io.err(`Replay ${replay.runId} of ${runId} queued.\n`);
  if (!options.wait) {
    io.out(`${replay.runId}\n`);
    return "other";
  }
  const run = await follow(io, jobs, [functionId], async () => {
    const detail = await getJobRun(serviceDb(), { workspaceId: workspace.id, runId: replay.runId });
    return { done: ["completed", "failed", "cancelled"].includes(detail.status), line: `replay ${detail.status}`, value: detail };
  });
  io.out(`Replay ${replay.runId} ${run.status}${run.error ? `: ${terminalSafe(run.error.message)}` : "."}\n`);
  return run.status === "completed" ? "completed" : "other";
}

/** `runs cancel <id>`: the Jobs page's Cancel; what the run's job owns (an import, a launch) is marked as cancelled too. */
export async function cancelRunCommand(io: CliIo, runId: string, options: { workspace: string }): Promise<void> {
  assertLocalJobs();
  assertRunId(runId);
  const workspace = await findWorkspace(options.workspace);
  await cancelJobRun(serviceDb(), { workspaceId: workspace.id, runId }, FROM_CLI);
  io.out(`Run ${runId} cancelled.\n`);
}

function assertRunId(runId: string): void {
  if (!isUuid(runId)) throw new CliError(`"${runId}" is not a run id: see \`runs list\`.`);
}
