import type { ReservedSql, Sql } from "postgres";
import type { Throttle } from "./registry";
import type { ClaimedRun, StepRow } from "./store";
import { availableAt, takeStart, windowOf } from "./throttle";

/**
 * Claiming due runs: FOR UPDATE SKIP LOCKED, so concurrent executors never take the same run,
 * each claim incrementing `claims` (the fencing token every later write of the run carries)
 * and leasing the run until `next_at` (renewed by the heartbeat).
 */

type ClaimRow = {
  id: string;
  workspace_id: string | null;
  function_id: string;
  attempt: number;
  claims: number;
  failure_of: string | null;
  event_id: string;
  event_name: string;
  event_data: Record<string, unknown>;
  event_ts: Date;
};

export type ClaimOptions = {
  owner: string;
  now: Date;
  leaseUntil: Date;
  limit: number;
  functionIds: string[];
  /** Runs this process is executing: never claimed again, even if a late heartbeat let the lease lapse. */
  exclude: string[];
  /** The throttle of each function that has one. */
  throttles?: ReadonlyMap<string, Throttle>;
};

/**
 * Runs that are due and have no concurrency limit: first those already under way (a wake-up,
 * a matched wait, a retry, a lapsed lease), then fresh ones, each oldest first. A wake-up is a
 * promise kept on time; a run not yet started has no deadline. One statement leases them and
 * completes their sleeps that are due, with each run's event. It is written out whole rather
 * than built from sql`` fragments: see the note on the save statements in write-queue.ts.
 */
export async function claimRuns(sql: Sql, o: ClaimOptions): Promise<ClaimedRun[]> {
  if (o.limit <= 0) return [];
  const rows = await sql<ClaimRow[]>`
    with resumed as (
      select id from job_runs
      where next_at <= ${o.now} and status <> 'queued' and function_id = any(${o.functionIds}::text[])
        and concurrency_key is null and id <> all(${o.exclude}::uuid[])
      order by next_at
      limit ${o.limit}
      for update skip locked
    ), fresh as (
      select id from job_runs
      where next_at <= ${o.now} and status = 'queued' and function_id = any(${o.functionIds}::text[])
        and concurrency_key is null and throttle_key is null
      order by next_at
      limit ${o.limit}
      for update skip locked
    ), picked as (
      (select id from resumed) union all (select id from fresh) limit ${o.limit}
    ), claimed as (
      update job_runs r set status = 'running', lease_owner = ${o.owner}, claims = r.claims + 1,
        next_at = ${o.leaseUntil}, started_at = coalesce(r.started_at, ${o.now}), updated_at = ${o.now}
      from picked where r.id = picked.id
      returning r.id, r.workspace_id, r.function_id, r.attempt, r.claims, r.failure_of, r.event_id
    ), woke as (
      update job_steps s set status = 'completed', ended_at = s.wake_at
      from claimed where s.run_id = claimed.id and s.status = 'sleeping' and s.wake_at <= ${o.now}
      returning s.id
    )
    select c.*, e.name as event_name, e.data as event_data, e.ts as event_ts
    from claimed c join job_events e on e.id = c.event_id`;
  return withSteps(sql, rows);
}

/**
 * Runs under flow control: any claim of a run with a concurrency limit, and the start of a run
 * with a throttle. The keys are locked (advisory, in one order) before the runs holding a
 * concurrency key's slots are counted and a throttle's state is read, so two executors cannot
 * both take the last slot or start; a start is taken from the throttle only for a run that is
 * then claimed. Runs over a throttle stay queued, in order; keys whose throttle is not available
 * yet are not even looked at. Where a throttle exists, these claims take turns across executors
 * (one lock, taken first): with SKIP LOCKED alone, a second executor would pass over the runs
 * at the head of a throttle's queue that the first is deciding on and start later ones first.
 */
const FLOW_CLAIMS_LOCK = "lip:jobs:throttled-claims";

export async function claimLimitedRuns(sql: Sql, o: ClaimOptions): Promise<ClaimedRun[]> {
  if (o.limit <= 0) return [];
  const rows = await pipelinedTransaction(sql, async (tx, begin, commit): Promise<readonly ClaimRow[]> => {
    // Two index walks in next_at order, as in claimRuns: runs under way first, then fresh ones,
    // each stopping after `limit` rows. Sorting is ruled out for this transaction: with statistics
    // taken while job_runs was small (autoanalyze lags a launch of thousands of runs by a minute)
    // the planner expects a handful of rows, reads every queued run and sorts them, tens of ms
    // per claim for 10,000 runs; the walk reads only the rows it returns.
    const [, , , candidates] = await Promise.all([
      begin(),
      tx`set local enable_sort = off`,
      o.throttles?.size ? tx`select pg_advisory_xact_lock(hashtext(${FLOW_CLAIMS_LOCK}))` : undefined,
      tx<Candidate[]>`
      with resumed as (
        select r.id, r.function_id, false as queued, r.concurrency_key, r.concurrency_limit, r.throttle_key from job_runs r
        where r.next_at <= ${o.now} and r.status <> 'queued' and r.function_id = any(${o.functionIds}::text[])
          and r.concurrency_key is not null and r.id <> all(${o.exclude}::uuid[])
        order by r.next_at
        limit ${o.limit * 4}
        for update of r skip locked
      ), fresh as (
        select r.id, r.function_id, true as queued, r.concurrency_key, r.concurrency_limit, r.throttle_key from job_runs r
        where r.next_at <= ${o.now} and r.status = 'queued' and r.function_id = any(${o.functionIds}::text[])
          and (r.concurrency_key is not null or r.throttle_key is not null)
          and not (r.throttle_key is not null and exists (
            select 1 from private.job_throttles t where t.key = r.throttle_key and t.available_at > ${o.now}))
        order by r.next_at
        limit ${o.limit * 4}
        for update of r skip locked
      )
      (select * from resumed) union all (select * from fresh)`,
    ]);
    if (candidates.length === 0) {
      await commit();
      return [];
    }
    const keys = [...new Set(candidates.flatMap((c) => (c.concurrency_key ? [c.concurrency_key] : [])))];
    const throttleKeys = [...new Set(candidates.flatMap((c) => (c.queued && c.throttle_key ? [c.throttle_key] : [])))];
    // Every key decided on here is locked first, all in one statement and in one order for every
    // executor (so none deadlocks): a concurrency key before counting the runs holding its slots,
    // a throttle key before reading its state. Then a fresh statement (a new snapshot, taken once
    // the locks are held: the server runs the two in order) reads both; they travel together.
    const locks = [...keys, ...throttleKeys.map((k) => `throttle:${k}`)];
    const locked = tx`select count(pg_advisory_xact_lock(hashtext(k))) from (select unnest(${locks}::text[]) as k order by 1) s`;
    const [, state] = await Promise.all([
      locked,
      tx<{ key: string; n: number; tat: Date | null }[]>`
      select concurrency_key as key, count(*)::int as n, null::timestamptz as tat from job_runs
      where concurrency_key = any(${keys}::text[]) and lease_owner is not null and status = 'running' and next_at > ${o.now}
      group by concurrency_key
      union all
      select 'throttle:' || key, 0, tat from private.job_throttles where key = any(${throttleKeys}::text[])`,
    ]);
    const used = new Map(state.map((a) => [a.key, a.n]));
    const tats = new Map(state.flatMap((a) => (a.tat ? [[a.key.slice("throttle:".length), a.tat.getTime()] as const] : [])));
    const throttled = new Map<string, { window: ReturnType<typeof windowOf>; tat: number | null; changed: boolean }>();
    for (const c of candidates) {
      const throttle = c.queued && c.throttle_key ? o.throttles?.get(c.function_id) : undefined;
      if (throttle && !throttled.has(c.throttle_key!)) {
        throttled.set(c.throttle_key!, { window: windowOf(throttle), tat: tats.get(c.throttle_key!) ?? null, changed: false });
      }
    }
    const now = o.now.getTime();
    const chosen: string[] = [];
    for (const c of candidates) {
      if (chosen.length >= o.limit) break;
      const n = c.concurrency_key ? (used.get(c.concurrency_key) ?? 0) : 0;
      if (c.concurrency_key && n >= c.concurrency_limit!) continue;
      const throttle = c.queued && c.throttle_key ? throttled.get(c.throttle_key) : undefined;
      if (throttle) {
        const tat = takeStart(throttle.window, throttle.tat, now);
        if (tat === null) continue;
        throttle.tat = tat;
        throttle.changed = true;
      }
      if (c.concurrency_key) used.set(c.concurrency_key, n + 1);
      chosen.push(c.id);
    }
    const moved = [...throttled].filter(([, t]) => t.changed);
    const saved =
      moved.length === 0
        ? undefined
        : tx`
          insert into private.job_throttles (key, tat, available_at, updated_at)
          select s.key, s.tat, s.available_at, ${o.now} from jsonb_to_recordset(${JSON.stringify(
            moved.map(([key, t]) => ({
              key,
              tat: new Date(Math.ceil(t.tat!)).toISOString(),
              available_at: new Date(Math.ceil(availableAt(t.window, t.tat!))).toISOString(),
            })),
          )}::text::jsonb) as s(key text, tat timestamptz, available_at timestamptz)
          on conflict (key) do update set tat = excluded.tat, available_at = excluded.available_at, updated_at = excluded.updated_at`;
    if (chosen.length === 0) {
      await Promise.all([saved, commit()]);
      return [];
    }
    // The same lease as in claimRuns, for the runs chosen here (written out whole: see the note above claimRuns).
    // Sent together with the throttle's new state (pipelined on the transaction's connection).
    // Sequential scans are ruled out for it, for the same stale statistics: the planner took
    // job_steps for a few pages and read all of it per claim to find the chosen runs' due sleeps
    // (3,613 rows for 8 runs at 2,000 leads in bench:campaign, 2.8 ms a claim at 10,000, growing
    // with every step saved) instead of looking each run up in job_steps_run_step_key.
    const noScan = tx`set local enable_seqscan = off`;
    const claimed = tx<ClaimRow[]>`
      with picked as (select unnest(${chosen}::uuid[]) as id), claimed as (
        update job_runs r set status = 'running', lease_owner = ${o.owner}, claims = r.claims + 1,
          next_at = ${o.leaseUntil}, started_at = coalesce(r.started_at, ${o.now}), updated_at = ${o.now}
        from picked where r.id = picked.id
        returning r.id, r.workspace_id, r.function_id, r.attempt, r.claims, r.failure_of, r.event_id
      ), woke as (
        update job_steps s set status = 'completed', ended_at = s.wake_at
        from claimed where s.run_id = claimed.id and s.status = 'sleeping' and s.wake_at <= ${o.now}
        returning s.id
      )
      select c.*, e.name as event_name, e.data as event_data, e.ts as event_ts
      from claimed c join job_events e on e.id = c.event_id`;
    const [, rows] = await Promise.all([noScan, claimed, saved, commit()]);
    return rows;
  });
  return withSteps(sql, rows as readonly ClaimRow[]);
}

/**
 * A transaction on a connection of its own whose BEGIN travels with its first statements and
 * whose COMMIT with its last: `work` puts `begin()` first among its first statements and
 * `commit()` last among its last ones, in the same Promise.all (a postgres.js query is sent when
 * it is first awaited, so the array's order is the order they run in). postgres.js's own begin() waits a round trip
 * for each, two of the claim's five; each round trip costs both processes a wake-up, which is
 * most of what a claim costs (bench:campaign's profile: the executor's socket writes). A
 * statement that fails makes the server skip the rest of the transaction, a COMMIT sent behind
 * it included (it rolls back); the ROLLBACK here ends what is left either way.
 */
async function pipelinedTransaction<T>(
  sql: Sql,
  work: (tx: ReservedSql, begin: () => Promise<unknown>, commit: () => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const tx = await sql.reserve();
  let open = false;
  try {
    return await work(
      tx,
      () => {
        open = true;
        return tx`begin`;
      },
      () => tx`commit`,
    );
  } catch (error) {
    if (open) await tx`rollback`.catch(() => {});
    throw error;
  } finally {
    tx.release();
  }
}

type Candidate = {
  id: string;
  function_id: string;
  queued: boolean;
  concurrency_key: string | null;
  concurrency_limit: number | null;
  throttle_key: string | null;
};

async function withSteps(sql: Sql, rows: readonly ClaimRow[]): Promise<ClaimedRun[]> {
  const runs = rows.map((r): ClaimedRun => ({
    id: r.id,
    workspaceId: r.workspace_id,
    functionId: r.function_id,
    attempt: r.attempt,
    claims: r.claims,
    failureOf: r.failure_of,
    event: { id: r.event_id, name: r.event_name, data: r.event_data, ts: r.event_ts.getTime() },
    steps: new Map(),
  }));
  // A run claimed for the first time has no step state yet: skip the query.
  const resumed = runs.filter((r) => r.claims > 1);
  if (resumed.length === 0) return runs;
  const byId = new Map(resumed.map((r) => [r.id, r]));
  const steps = await sql<
    (Omit<StepRow, "stepId" | "wakeAt" | "key"> & { run_id: string; step_key: string; step_id: string; wake_at: Date | null })[]
  >`
    select run_id, step_key, step_id, op, status, attempts, output, error, wake_at
    from job_steps where run_id = any(${[...byId.keys()]}::uuid[])`;
  for (const s of steps) {
    byId.get(s.run_id)?.steps.set(s.step_key, {
      key: s.step_key,
      stepId: s.step_id,
      op: s.op,
      status: s.status,
      attempts: s.attempts,
      output: s.output,
      error: s.error,
      wakeAt: s.wake_at,
    });
  }
  return runs;
}
