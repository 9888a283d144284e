/**
 * `npm run bench:jobs`: the local job executor's throughput and latency on this machine.
 *
 *   1. 10,000 runs of a three-step function: step executions per second, and the executor's
 *      overhead per step (the gap between one step's end and the next one's start, which is
 *      saving the result and moving on).
 *   2. 10,000 runs that sleep 1–5 s: how late each wakes up.
 *   3. The floor: a plain `INSERT ... RETURNING` loop on the same database.
 *
 * It starts its own embedded PostgreSQL (durable settings, as `npm run dev` uses) in a temp
 * dir and migrates it, and runs with the young-generation size the launcher uses (see
 * scripts/launch.ts; printed with the settings). The last line printed is one JSON object with
 * the headline figures.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { openPostgres } from "@/db/postgres-target";
import { connect, closeAllPools } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { inngest, type JobContext } from "@/inngest/client";
import { enqueueEvents } from "@/lib/jobs/enqueue-events";
import { EXECUTOR_DEFAULTS } from "@/lib/jobs/executor/config";
import { LocalExecutor } from "@/lib/jobs/executor/executor";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { freePort } from "@/lib/local/free-port";
import { cleanUpOnce } from "./lib/stop-on-signal";

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const quiet = () => {};
const logger = { debug: quiet, info: quiet, warn: console.warn, error: console.error };

type Ctx = JobContext<{ name: string; data: { n?: number; ms?: number } }>;

const gaps: number[] = [];
async function threeSteps({ step }: Ctx) {
  // The work is trivial, so the time between two steps is the executor's: saving one and starting the next.
  const ranAt: number[] = [];
  const work = (value: number) => {
    ranAt.push(performance.now());
    return value;
  };
  const a = await step.run("one", () => work(1));
  const b = await step.run("two", () => work(a + 1));
  const c = await step.run("three", () => work(b + 1));
  if (ranAt.length === 3) gaps.push(ranAt[1]! - ranAt[0]!, ranAt[2]! - ranAt[1]!);
  handlersDone.set("bench-three-steps", (handlersDone.get("bench-three-steps") ?? 0) + 1);
  return c;
}

/** Handler bodies that have returned, per function: lets waitForRuns stay off the database until the end. */
const handlersDone = new Map<string, number>();

const lateness: number[] = [];
const sleptAt = new Map<string, number>();
async function sleepThenFinish({ event, step, runId }: Ctx) {
  const ms = event.data.ms ?? 1000;
  if (!sleptAt.has(runId)) sleptAt.set(runId, Date.now());
  await step.sleep("nap", ms);
  const late = await step.run("after", () => {
    const late = Date.now() - (sleptAt.get(runId)! + ms);
    lateness.push(late);
    return late;
  });
  handlersDone.set("bench-sleeper", (handlersDone.get("bench-sleeper") ?? 0) + 1);
  return late;
}

const threeStepFn = inngest.createFunction({ id: "bench-three-steps", triggers: [{ event: "bench/three.requested" }] }, threeSteps);
const sleeperFn = inngest.createFunction({ id: "bench-sleeper", triggers: [{ event: "bench/sleep.requested" }] }, sleepThenFinish);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "lip-bench-pg-"));
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "lip_bench" });
  let executor: LocalExecutor | undefined;
  const cleanUp = cleanUpOnce(async () => {
    await executor?.stop();
    await closeAllPools();
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    console.log(`PostgreSQL ready (durable settings); ${os.cpus().length} CPUs; ${RUNS.toLocaleString()} runs per phase.`);
    const { concurrency, poolSize } = EXECUTOR_DEFAULTS;
    const semiSpace = process.execArgv.find((a) => a.startsWith("--max-semi-space-size="))?.split("=")[1] ?? "Node's default";
    console.log(`Executor settings: ${JSON.stringify({ concurrency, poolSize, durableCommits: true, ...tuning() })}`);
    console.log(`V8 young generation: --max-semi-space-size ${semiSpace} (MiB)`);
    const floor = await measureFloor(cluster.url);

    executor = new LocalExecutor({
      databaseUrl: cluster.url,
      functions: [
        { fn: threeStepFn, handler: threeSteps },
        { fn: sleeperFn, handler: sleepThenFinish },
      ],
      logger,
      ...tuning(),
    });
    const sql = openPostgres(cluster.url, { max: 2, onnotice: quiet });
    const db = connect(cluster.url).db;

    // The events are sent first: the timing below is the executor's (fan-out included), not the sender's.
    await enqueueInBatches(
      db,
      Array.from({ length: RUNS }, (_, n) => ({ name: "bench/three.requested", data: { n } })),
    );
    const t0 = performance.now();
    await executor.start();
    await waitForRuns(sql, "bench-three-steps", RUNS);
    const seconds = (performance.now() - t0) / 1000;
    const stepsPerSecond = (RUNS * 3) / seconds;
    console.log(`\nThree-step runs: ${RUNS.toLocaleString()} runs, ${(RUNS * 3).toLocaleString()} steps in ${seconds.toFixed(1)} s`);
    console.log(`  step executions/s      ${stepsPerSecond.toFixed(0)}`);
    console.log(`  overhead per step      median ${q(gaps, 0.5).toFixed(2)} ms, p99 ${q(gaps, 0.99).toFixed(2)} ms (n=${gaps.length})`);

    const sleepT0 = performance.now();
    await enqueueInBatches(
      db,
      Array.from({ length: RUNS }, () => ({ name: "bench/sleep.requested", data: { ms: 1000 + Math.floor(Math.random() * 4000) } })),
    );
    await waitForRuns(sql, "bench-sleeper", RUNS);
    console.log(
      `\nSleeping runs: ${RUNS.toLocaleString()} runs sleeping 1–5 s, done in ${((performance.now() - sleepT0) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  wake-up lateness       p50 ${q(lateness, 0.5).toFixed(0)} ms, p99 ${q(lateness, 0.99).toFixed(0)} ms, max ${Math.max(...lateness)} ms`,
    );

    console.log(`\nFloor: plain INSERT ... RETURNING, one connection`);
    console.log(
      `  inserts/s              ${floor.perSecond.toFixed(0)} (latency median ${floor.median.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms)`,
    );
    console.log(`  inserts/s, 8 clients   ${floor.concurrentPerSecond.toFixed(0)}`);
    await sql.end();
    console.log(
      JSON.stringify({
        steps_per_s: Math.round(stepsPerSecond),
        overhead_p99_ms: round2(q(gaps, 0.99)),
        wake_late_p99_ms: Math.round(q(lateness, 0.99)),
        floor_inserts_per_s: Math.round(floor.perSecond),
      }),
    );
  } finally {
    await cleanUp();
  }
}

async function measureFloor(url: string) {
  const sql = openPostgres(url, { max: 8, onnotice: quiet, prepare: false });
  await sql`create table if not exists bench_floor (id bigint generated always as identity primary key, payload jsonb not null, created_at timestamptz not null default now())`;
  const latencies: number[] = [];
  const n = Math.min(RUNS, 5_000);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await sql`insert into bench_floor (payload) values (${JSON.stringify({ i })}::text::jsonb) returning id`;
    latencies.push(performance.now() - s);
  }
  const perSecond = n / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < n / 8; i++)
        await sql`insert into bench_floor (payload) values (${JSON.stringify({ w, i })}::text::jsonb) returning id`;
    }),
  );
  const concurrentPerSecond = n / ((performance.now() - t1) / 1000);
  await sql.end();
  return { perSecond, concurrentPerSecond, median: q(latencies, 0.5), p99: q(latencies, 0.99) };
}

async function enqueueInBatches(db: ReturnType<typeof connect>["db"], events: { name: string; data: Record<string, unknown> }[]) {
  for (let i = 0; i < events.length; i += 1_000) await enqueueEvents(db, events.slice(i, i + 1_000));
}

/**
 * Waits until every run is completed in the database. The database is not polled until every
 * handler body has returned in this process: counting the runs in progress every 100 ms (an
 * index scan and up to ~10,000 heap visits per poll while the phase runs) is the benchmark's
 * own bookkeeping, and on a 2-core machine it competes for CPU with the executor's PostgreSQL
 * backends, so its cost could be counted as executor overhead and wake-up lateness. (Its effect
 * on the figures was within run-to-run noise when measured, but it is not the executor's work.)
 * The phase still ends only when the database says all runs are completed, so the final writes
 * are counted in steps/s.
 * (A handler that never returns, e.g. a run failing for good, still ends the wait: after
 * 5 s without progress the database is polled anyway, and failed runs are reported.)
 */
async function waitForRuns(sql: postgres.Sql, functionId: string, total: number): Promise<void> {
  let seen = -1;
  let stalledSince = performance.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const done = handlersDone.get(functionId) ?? 0;
    if (done !== seen) [seen, stalledSince] = [done, performance.now()];
    if (done < total && performance.now() - stalledSince < 5_000) continue;
    const [active] = await sql<{ n: number }[]>`
      select count(*)::int as n from job_runs where function_id = ${functionId} and status in ('queued', 'running', 'sleeping', 'waiting')`;
    if (active && active.n > 0) continue;
    const [row] = await sql<{ done: number; failed: number }[]>`
      select count(*) filter (where status = 'completed')::int as done, count(*) filter (where status = 'failed')::int as failed
      from job_runs where function_id = ${functionId}`;
    if (row && row.failed > 0) throw new Error(`${row.failed} ${functionId} runs failed`);
    if (row && row.done >= total) return;
  }
}

function q(values: number[], quantile: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))]!;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** BENCH_CONCURRENCY, BENCH_POOL, BENCH_PREPARE=0|1 and BENCH_DURABLE=0 try other settings than the defaults. */
function tuning() {
  const env = process.env;
  return {
    ...(env.BENCH_CONCURRENCY ? { concurrency: Number(env.BENCH_CONCURRENCY) } : {}),
    ...(env.BENCH_POOL ? { poolSize: Number(env.BENCH_POOL) } : {}),
    ...(env.BENCH_PREPARE ? { prepare: env.BENCH_PREPARE === "1" } : {}),
    ...(env.BENCH_DURABLE === "0" ? { durableCommits: false } : {}),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
