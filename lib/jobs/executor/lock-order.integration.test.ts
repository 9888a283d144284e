import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openPostgres } from "@/db/postgres-target";
import { unique } from "../testing/harness";
import { renewLeases, type Lease } from "./store";
import { WriteQueue } from "./write-queue";

/**
 * The executor's statements that write many runs at once lock them in one order (by id), so two
 * of them never wait on each other in a cycle. Before, the lease renewal locked its runs in the
 * order of its index scan and a batch of releases or completions in the order the runs had
 * asked: under a launch's 96 runs at once, PostgreSQL found a deadlock and aborted one of them
 * (bench:campaign logged "Could not renew job leases … deadlock detected", and an aborted
 * batch was written again row by row).
 */

const renewer = openPostgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
/** The write queue's statements, counted: a batch a deadlock aborted is written again run by run, one statement each. */
let queueStatements = 0;
const writer = openPostgres(process.env.DATABASE_URL ?? "", {
  max: 1,
  onnotice: () => {},
  debug: (_connection, query) => {
    if (query.includes("jsonb_to_recordset")) queueStatements++;
  },
});
const written: string[] = [];
afterEach(async () => {
  await writer`delete from job_runs where function_id = any(${written.splice(0)}::text[])`;
});
afterAll(() => Promise.all([renewer.end({ timeout: 5 }), writer.end({ timeout: 5 })]));

const RUNS = 96;
const ROUNDS = 40;
const OWNER = "executor-under-test";

/** RUNS running runs leased by OWNER, inserted in random id order (so the heap's order is not the index's). */
async function leasedRuns(functionId: string): Promise<string[]> {
  written.push(functionId);
  const [event] = await writer<{ id: string }[]>`
    insert into job_events (name, data, ts, dispatched_at) values (${unique("test/lock-order")}, '{}'::jsonb, now(), now()) returning id`;
  const ids = Array.from({ length: RUNS }, () => randomUUID());
  await writer`
    insert into job_runs (id, function_id, event_id, status, lease_owner, claims, next_at)
    select id, ${functionId}, ${event!.id}, 'running', ${OWNER}, 1, now() + interval '1 minute' from unnest(${ids}::uuid[]) as id`;
  return ids;
}

const shuffled = <T>(items: T[]): T[] =>
  items
    .map((item) => ({ item, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

/**
 * ROUNDS rounds of: the leases of all the runs renewed while `write` hands every run's write to
 * the queue in a random order (one batch); then the runs are leased again. Counts the renewals
 * that were deadlock victims and the batches written again run by run.
 */
async function renewBesideBatches(functionId: string, write: (queue: WriteQueue, lease: Lease, now: Date) => Promise<void>) {
  const ids = await leasedRuns(unique(functionId));
  const queue = new WriteQueue(writer);
  let deadlocked = 0;
  let retried = 0;
  for (let round = 0; round < ROUNDS; round++) {
    queueStatements = 0;
    const now = new Date();
    const writes = shuffled(ids).map((runId) => write(queue, { runId, owner: OWNER, claims: 1 }, now));
    const renewal = await renewLeases(renewer, OWNER, shuffled(ids), new Date(now.getTime() + 30_000)).then(
      () => null,
      (error: { code?: string }) => error,
    );
    if (renewal?.code === "40P01") deadlocked += 1;
    else if (renewal) throw renewal;
    // The queue writes a failed batch again run by run; a run it could not write would reject.
    expect((await Promise.allSettled(writes)).filter((r) => r.status === "rejected")).toEqual([]);
    retried += queueStatements - 1;
    await writer`update job_runs set status = 'running', lease_owner = ${OWNER}, ended_at = null where id = any(${ids}::uuid[])`;
  }
  return { deadlocked, retried };
}

describe("the executor's multi-run writes", () => {
  it("renew leases while a batch of the same runs is released, without a deadlock", async () => {
    const release = (queue: WriteQueue, lease: Lease, now: Date) =>
      queue.releaseRun(lease, {
        status: "sleeping",
        nextAt: new Date(now.getTime() + 60_000),
        now,
        attempt: 0,
        error: null,
        steps: [],
        waitKeys: [],
      });
    expect(await renewBesideBatches("lock-order-release", release)).toEqual({ deadlocked: 0, retried: 0 });
  });

  it("renew leases while a batch of the same runs completes, without a deadlock", async () => {
    const complete = (queue: WriteQueue, lease: Lease, now: Date) => queue.completeRun(lease, "null", now);
    expect(await renewBesideBatches("lock-order-complete", complete)).toEqual({ deadlocked: 0, retried: 0 });
  });
});
