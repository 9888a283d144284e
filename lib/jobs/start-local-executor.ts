import { localFunctions } from "@/inngest";
import { consoleLogger } from "./executor/config";
import { LocalExecutor, type LocalExecutorOptions } from "./executor/executor";
import type { LocalFunction } from "./executor/registry";
import type { ExecutorLogger } from "./executor/types";
import { validateEventPayloads } from "./validate-events";

export type StartLocalExecutorOptions = Omit<LocalExecutorOptions, "functions"> & { functions?: readonly LocalFunction[] };
export type LocalExecutorHandle = { stop(): Promise<void> };

const RUNNING = Symbol.for("lip.localExecutor");
type Registry = Map<string, Promise<LocalExecutorHandle>>;

/**
 * Starts the local executor; the launcher calls it once, in its own process. It does nothing
 * when INNGEST_EVENT_KEY or INNGEST_DEV is set (Inngest runs the functions then). A second
 * call in the same process for the same database (and the same `runOnly`) returns the running
 * one, so a reload never starts two. Throws at start-up, with the reasons, if a function uses
 * something the executor does not support. `stop()` lets running steps finish (up to `drainMs`) and closes its pool.
 */
export async function startLocalExecutor(options: StartLocalExecutorOptions): Promise<LocalExecutorHandle> {
  const logger = options.logger ?? consoleLogger;
  // Same rule as describeServices(): with Inngest configured it runs the functions (crons too).
  if (process.env.INNGEST_EVENT_KEY?.trim() || process.env.INNGEST_DEV?.trim()) {
    logger.info("Inngest is configured: the local job executor is not started.");
    return { stop: async () => {} };
  }
  const running = ((globalThis as { [RUNNING]?: Registry })[RUNNING] ??= new Map());
  // An executor limited to some functions (runOnly) is another executor than the whole one.
  const key = `${options.databaseUrl}\n${options.runOnly?.join(",") ?? "*"}`;
  const existing = running.get(key);
  if (existing) return existing;
  const starting = start(options, logger).catch((error: unknown) => {
    running.delete(key);
    throw error;
  });
  running.set(key, starting);
  const handle = await starting;
  return {
    stop: async () => {
      running.delete(key);
      await handle.stop();
    },
  };
}

async function start(options: StartLocalExecutorOptions, logger: ExecutorLogger): Promise<LocalExecutorHandle> {
  const functions = options.functions ?? localFunctions;
  const executor = new LocalExecutor({
    validateEvents: (events) => validateEventPayloads(events, { allowUnknown: true }),
    ...options,
    functions,
  });
  await executor.start();
  // Counted from the ids it runs: a function with an onFailure handler runs as two.
  const ids = executor.functionIds;
  logger.info(`Local job executor started with ${ids.length} ${ids.length === 1 ? "function" : "functions"}: ${ids.join(", ")}`);
  return { stop: () => executor.stop() };
}
