import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { localFunctions } from "@/inngest";
import { enqueueEvents } from "../enqueue-events";
import { LocalExecutor, type LocalExecutorOptions } from "../executor/executor";
import type { LocalFunction } from "../executor/registry";
import type { ExecutorLogger } from "../executor/types";

/** Helpers for the executor's integration tests. Each test names its own functions and events. */

const quiet = () => {};
/** Silent unless LIP_JOBS_DEBUG is set. */
export const silentLogger: ExecutorLogger = process.env.LIP_JOBS_DEBUG
  ? { debug: console.debug, info: console.info, warn: console.warn, error: console.error }
  : { debug: quiet, info: quiet, warn: quiet, error: quiet };

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Real time plus whatever the test skipped ahead. */
export function controllableClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
}

/**
 * The product's functions of these ids, for a test's executor. Never all of them: the shared
 * test database holds every file's queued jobs, and an executor runs any it has a function for
 * (one taking up another file's launch deadlocked that file's teardown in CI of 28b68cf and of 93c5935).
 */
export function productFunctions(...ids: string[]): LocalFunction[] {
  const chosen = localFunctions.filter((f) => ids.includes(f.fn.id()));
  if (chosen.length !== ids.length) throw new Error(`No product function for some of: ${ids.join(", ")}`);
  return chosen;
}

export type TestExecutor = LocalExecutor & { clock: ReturnType<typeof controllableClock> };

export async function startTestExecutor(
  functions: readonly LocalFunction[],
  options: Partial<Omit<LocalExecutorOptions, "functions">> = {},
): Promise<TestExecutor> {
  const clock = controllableClock();
  const executor = new LocalExecutor({
    databaseUrl: process.env.DATABASE_URL ?? "",
    functions,
    clock,
    logger: silentLogger,
    pollMs: 100,
    // Long enough that a heartbeat made late by the whole suite's load (2 cores, many files'
    // executors on one database) does not lapse the lease: another file's executor with the
    // same functions would then take the run over and run its step again (correct, but not
    // the run the test is watching). Tests of a lapsed lease set a short one themselves.
    leaseMs: 10_000,
    retry: { baseMs: 20, maxMs: 200 },
    poolSize: 4,
    ...options,
  });
  await executor.start();
  return Object.assign(executor, { clock }) as TestExecutor;
}

export async function send(name: string, data: Record<string, unknown>, id?: string): Promise<string> {
  const { ids } = await enqueueEvents(serviceDb(), [{ name, data, id }]);
  return ids[0] ?? "";
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  { timeoutMs = 5_000, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export type RunRow = {
  id: string;
  function_id: string;
  status: string;
  attempt: number;
  output: unknown;
  error: { name: string; message: string } | null;
  workspace_id: string | null;
};
export type StepRowView = {
  step_id: string;
  step_key: string;
  op: string;
  status: string;
  attempts: number;
  output: unknown;
  error: { message: string } | null;
  attempt_errors: unknown[];
};

export async function runsOf(eventId: string): Promise<RunRow[]> {
  return serviceDb().execute<RunRow>(sql`
    select id, function_id, status::text, attempt, output, error, workspace_id from job_runs where event_id = ${eventId} order by created_at`);
}

export async function runsOfFunction(functionId: string): Promise<RunRow[]> {
  return serviceDb().execute<RunRow>(sql`
    select id, function_id, status::text, attempt, output, error, workspace_id from job_runs where function_id = ${functionId} order by created_at`);
}

export async function stepsOf(runId: string): Promise<StepRowView[]> {
  return serviceDb().execute<StepRowView>(sql`
    select step_id, step_key, op::text, status::text, attempts, output, error, attempt_errors from job_steps where run_id = ${runId} order by id`);
}

/** Waits until the event's run reaches one of the statuses and returns it. */
export async function runReaching(eventId: string, statuses: string[], timeoutMs = 5_000): Promise<RunRow> {
  return waitFor(async () => (await runsOf(eventId)).find((r) => statuses.includes(r.status)), {
    timeoutMs,
    what: `a run of event ${eventId} to be ${statuses.join("/")}`,
  });
}
