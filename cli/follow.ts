import { setTimeout as sleep } from "node:timers/promises";
import { describeServices, env } from "@/lib/env";
import { localFunctions } from "@/inngest";
import type { ExecutorLogger } from "@/lib/jobs/executor/types";
import { startLocalExecutor, type LocalExecutorHandle } from "@/lib/jobs/start-local-executor";
import { CliError, type CliIo } from "./context";

/**
 * How the CLI gets background work done while it waits: the product's executor, or a test's,
 * running the functions named (by id; a failure handler's id names its function).
 */
export type JobRunner = { start: (functionIds: readonly string[]) => Promise<LocalExecutorHandle> };

/**
 * Without Inngest, jobs run in the local executor of whichever process has one. The CLI starts
 * one of its own while it follows its work, so a command finishes whether or not the app is
 * running; with the app up, both executors share the queue (claims skip what the other holds).
 * With Inngest configured, Inngest runs the work and the CLI only watches.
 *
 * Only runs of the function of the work the command follows, and no cron (the executor's
 * `runOnly`): an executor of every function in an operator's command (an import from cron, say)
 * also ran whatever else was queued (a campaign's sends, webhook deliveries, the nightly
 * prunes) in the CLI's process, under its environment, and stopped it half-way when the command
 * ended. What else is queued waits for the app's executor. Runs of the same function that other
 * workspaces queued may still be taken meanwhile (claims are by function): the same work the app
 * would do, each run durable, resumed by the app should the command end first.
 */
export function localJobRunner(options: { databaseUrl?: string; pollMs?: number; logger?: ExecutorLogger } = {}): JobRunner {
  return {
    start: async (functionIds) =>
      describeServices(env()).jobs === "local-executor"
        ? startLocalExecutor({
            databaseUrl: options.databaseUrl ?? env().DATABASE_URL,
            logger: options.logger ?? { debug: () => {}, info: () => {}, warn: () => {}, error: (message) => console.error(message) },
            ...(options.pollMs ? { pollMs: options.pollMs } : {}),
            runOnly: functionIds.map(localFunctionId),
          })
        : { stop: async () => {} },
  };
}

export const productJobs: JobRunner = localJobRunner();

/**
 * The product function a run's function id belongs to (a failure handler's, `<id>-failure`, is
 * its function's); refused when this installation has none, before anything is queued.
 */
export function localFunctionId(functionId: string): string {
  const ids = new Set(localFunctions.map((f) => f.fn.opts.id));
  if (ids.has(functionId)) return functionId;
  const main = functionId.replace(/-failure$/, "");
  if (main !== functionId && ids.has(main)) return main;
  throw new CliError(`This installation has no job function "${functionId}": its runs cannot be run from here.`);
}

export type Progress<T> = { done: boolean; line: string; value: T };

/**
 * Polls `read` until it says the work is done, printing its progress line whenever it changes
 * (on stderr: stdout stays for results). Gives up after `timeoutMs` with the last line.
 */
export async function follow<T>(
  io: CliIo,
  jobs: JobRunner,
  functionIds: readonly string[],
  read: () => Promise<Progress<T>>,
  { everyMs = 500, timeoutMs = 6 * 60 * 60_000 }: { everyMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const executor = await jobs.start(functionIds);
  try {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
      const progress = await read();
      if (progress.line !== last) io.err(`${progress.line}\n`);
      last = progress.line;
      if (progress.done) return progress.value;
      if (Date.now() > deadline)
        throw new CliError(`Still not finished after ${Math.round(timeoutMs / 60_000)} minutes (${last}); it goes on in the background.`);
      await sleep(everyMs);
    }
  } finally {
    await executor.stop();
  }
}

export const count = (n: number) => n.toLocaleString("en-US");
export const percent = (part: number, whole: number) => (whole === 0 ? "0%" : `${Math.floor((100 * part) / whole)}%`);
