import type { ReservedSql, Sql } from "postgres";
import { noteLive, sqlLiveNotices } from "@/lib/live/deferred-notices";
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
  /** Where claimLimitedRuns' key walks resume (it moves it on): one per executor. */
  cursor?: FlowCursor;
};

/** The last key each of claimLimitedRuns' key walks looked at, when it stopped before the last key. */
export type FlowCursor = { queued: string | null; resumable: string | null; throttle: string | null };

/**
 * How many keys a claim looks at in each of its key walks (a few index probes each). Past that,
 * the next claim goes on from where this one stopped: with more keys than this holding runs, a
 * run of a free key is claimed within a few claims rather than the next one.
 */
export const KEYS_PER_CLAIM = 200;

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
      -- Its live notices are sent by withSteps once committed (set_config: DEFER_LIVE_SQL).
      update job_runs r set status = 'running', lease_owner = ${o.owner}, claims = r.claims + 1,
        next_at = ${o.leaseUntil}, started_at = coalesce(r.started_at, ${o.now}), updated_at = ${o.now}
      from picked where r.id = picked.id
      returning r.id, r.workspace_id, r.function_id, r.attempt, r.claims, r.failure_of, r.event_id,
        set_config('lip.live_deferred', statement_timestamp()::text, true) as live_deferred
    ), woke as (
      update job_steps s set status = 'completed', ended_at = s.wake_at
      from claimed where s.run_id = claimed.id and s.status = 'sleeping' and s.wake_at <= ${o.now}
      returning s.id
    )
    select c.id, c.workspace_id, c.function_id, c.attempt, c.claims, c.failure_of, c.event_id,
      e.name as event_name, e.data as event_data, e.ts as event_ts
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
 *
 * The candidates are found key by key (flowCandidates), not by walking all due runs in next_at
 * order: a walk stopping after a few times `limit` rows found nothing else when more runs of a
 * busy key were due first (a launch's thousand sends for one mailbox, a seed's imports for one
 * workspace), so a run of a free key behind them waited until they had all gone.
 */
const FLOW_CLAIMS_LOCK = "lip:jobs:throttled-claims";

export async function claimLimitedRuns(sql: Sql, o: ClaimOptions): Promise<ClaimedRun[]> {
  if (o.limit <= 0) return [];
  const rows = await pipelinedTransaction(sql, async (tx, begin, commit): Promise<readonly ClaimRow[]> => {
    const [, , , found] = await Promise.all([
      begin(),
      // Every statement of this transaction is an index walk that reads only what it returns:
      // with statistics taken while job_runs was small (autoanalyze lags a launch of thousands of
      // runs by a minute) the planner would rather read the whole table, or AND a bitmap of every
      // active run (job_runs_active_function_idx) into a count of a key's leased ones. See also the claim below.
      tx`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`,
      o.throttles?.size ? tx`select pg_advisory_xact_lock(hashtext(${FLOW_CLAIMS_LOCK}))` : undefined,
      flowCandidates(tx, o),
    ]);
    const candidates = candidatesOf(found, o);
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
      select k.key, (select count(*)::int from job_runs x
          where x.concurrency_key = k.key and x.lease_owner is not null and x.status = 'running' and x.next_at > ${o.now}) as n,
        null::timestamptz as tat
      from unnest(${keys}::text[]) as k(key)
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
    // Sequential scans are ruled out for it too (set above), for the same stale statistics: the planner took
    // job_steps for a few pages and read all of it per claim to find the chosen runs' due sleeps
    // (3,613 rows for 8 runs at 2,000 leads in bench:campaign, 2.8 ms a claim at 10,000, growing
    // with every step saved) instead of looking each run up in job_steps_run_step_key.
    const claimed = tx<ClaimRow[]>`
      with picked as (select unnest(${chosen}::uuid[]) as id), claimed as (
        -- Its live notices are sent by withSteps once committed (set_config: DEFER_LIVE_SQL).
        update job_runs r set status = 'running', lease_owner = ${o.owner}, claims = r.claims + 1,
          next_at = ${o.leaseUntil}, started_at = coalesce(r.started_at, ${o.now}), updated_at = ${o.now}
        from picked where r.id = picked.id
        returning r.id, r.workspace_id, r.function_id, r.attempt, r.claims, r.failure_of, r.event_id,
          set_config('lip.live_deferred', statement_timestamp()::text, true) as live_deferred
      ), woke as (
        update job_steps s set status = 'completed', ended_at = s.wake_at
        from claimed where s.run_id = claimed.id and s.status = 'sleeping' and s.wake_at <= ${o.now}
        returning s.id
      )
      select c.id, c.workspace_id, c.function_id, c.attempt, c.claims, c.failure_of, c.event_id,
        e.name as event_name, e.data as event_data, e.ts as event_ts
      from claimed c join job_events e on e.id = c.event_id`;
    const [rows] = await Promise.all([claimed, saved, commit()]);
    return rows;
  });
  return withSteps(sql, rows as readonly ClaimRow[]);
}

/**
 * The due runs under flow control that may be claimed now, locked (SKIP LOCKED), runs under way
 * first (wake-ups, retries, lapsed leases), then fresh ones, each oldest first, at most
 * 4 × `limit`. The keys are listed one index probe each (a loose index scan: the next key after
 * the last one, in job_runs_queued_key_idx, job_runs_resumable_key_idx, job_runs_queued_throttle_idx),
 * and each key gives only as many of its first runs as it can take now: a concurrency key its
 * free slots (counted here without locks, then again under its lock by the caller, who decides),
 * a throttle with no concurrency key the starts it allows now (the same GCRA as throttle.ts).
 * So a claim reads a few rows per key holding runs, however many runs are queued, and a busy
 * key's runs never stand in front of a free one's. Within a key the order stays first in, first
 * out: a key whose first run waits for its throttle gives nothing until it may start. Each walk
 * stops after KEYS_PER_CLAIM keys and the next claim goes on from there (`o.cursor`), so a claim
 * costs the same with 100,000 keys (a function keyed per lead) as with 200.
 */
function flowCandidates(tx: ReservedSql, o: ClaimOptions) {
  const throttles = JSON.stringify(
    [...(o.throttles ?? [])].map(([fn, t]) => {
      const w = windowOf(t);
      return { fn, emission_ms: w.emissionMs, tolerance_ms: w.toleranceMs };
    }),
  );
  return tx<CandidateRow[]>`
    with recursive queued_keys as (
      (select r.concurrency_key as key, r.concurrency_limit as lim, 1 as depth from job_runs r
        where r.status = 'queued' and r.concurrency_key is not null and r.concurrency_key > ${o.cursor?.queued ?? ""}
        order by r.concurrency_key limit 1)
      union all
      select n.key, n.lim, k.depth + 1 from queued_keys k cross join lateral (
        select r.concurrency_key as key, r.concurrency_limit as lim from job_runs r
        where r.status = 'queued' and r.concurrency_key is not null and r.concurrency_key > k.key
        order by r.concurrency_key limit 1) n
      where k.depth < ${KEYS_PER_CLAIM}
    ), resumable_keys as (
      (select r.concurrency_key as key, r.concurrency_limit as lim, 1 as depth from job_runs r
        where r.status <> 'queued' and r.lease_owner is null and r.concurrency_key is not null and r.next_at is not null and r.concurrency_key > ${o.cursor?.resumable ?? ""}
        order by r.concurrency_key limit 1)
      union all
      select n.key, n.lim, k.depth + 1 from resumable_keys k cross join lateral (
        select r.concurrency_key as key, r.concurrency_limit as lim from job_runs r
        where r.status <> 'queued' and r.lease_owner is null and r.concurrency_key is not null and r.next_at is not null and r.concurrency_key > k.key
        order by r.concurrency_key limit 1) n
      where k.depth < ${KEYS_PER_CLAIM}
    ), throttle_keys as (
      (select r.throttle_key as key, r.function_id as fn, 1 as depth from job_runs r
        where r.status = 'queued' and r.throttle_key is not null and r.concurrency_key is null and r.throttle_key > ${o.cursor?.throttle ?? ""}
        order by r.throttle_key limit 1)
      union all
      select n.key, n.fn, k.depth + 1 from throttle_keys k cross join lateral (
        select r.throttle_key as key, r.function_id as fn from job_runs r
        where r.status = 'queued' and r.throttle_key is not null and r.concurrency_key is null and r.throttle_key > k.key
        order by r.throttle_key limit 1) n
      where k.depth < ${KEYS_PER_CLAIM}
    ), leased as materialized (
      -- For leases that lapsed (their executor stopped): the few runs held right now
      -- (job_runs_leased_key_idx), rather than every due wake-up or every run of these functions.
      select id, function_id, status, next_at from job_runs where lease_owner is not null and concurrency_key is not null
    ), windows as (
      select * from jsonb_to_recordset(${throttles}::text::jsonb) as w(fn text, emission_ms float8, tolerance_ms float8)
    ), candidates as (
      select c.* from resumable_keys k
      cross join lateral (
        select count(*)::int as n from job_runs x
        where x.concurrency_key = k.key and x.lease_owner is not null and x.status = 'running' and x.next_at > ${o.now}) b
      cross join lateral (
        select r.id, false as queued, r.next_at from job_runs r
        where r.status <> 'queued' and r.lease_owner is null and r.concurrency_key = k.key and r.next_at is not null
          and r.next_at <= ${o.now} and r.function_id = any(${o.functionIds}::text[])
        order by r.next_at
        limit greatest(0, least(${o.limit}::int, k.lim - b.n))) c
      where k.lim > b.n
      union all
      select l.id, false, l.next_at from leased l
      where l.status = 'running' and l.next_at <= ${o.now} and l.function_id = any(${o.functionIds}::text[])
      union all
      select c.id, true, c.next_at from queued_keys k
      cross join lateral (
        select count(*)::int as n from job_runs x
        where x.concurrency_key = k.key and x.lease_owner is not null and x.status = 'running' and x.next_at > ${o.now}) b
      cross join lateral (
        select r.id, r.next_at, r.throttle_key from job_runs r
        where r.status = 'queued' and r.concurrency_key = k.key
          and r.next_at <= ${o.now} and r.function_id = any(${o.functionIds}::text[])
        order by r.next_at
        limit greatest(0, least(${o.limit}::int, k.lim - b.n))) c
      where k.lim > b.n
        and not (c.throttle_key is not null and exists (
          select 1 from private.job_throttles t where t.key = c.throttle_key and t.available_at > ${o.now}))
      union all
      select c.* from throttle_keys k
      left join windows w on w.fn = k.fn
      left join private.job_throttles t on t.key = k.key
      cross join lateral (
        select r.id, true as queued, r.next_at from job_runs r
        where r.status = 'queued' and r.throttle_key = k.key and r.concurrency_key is null
          and r.next_at <= ${o.now} and r.function_id = any(${o.functionIds}::text[])
        order by r.next_at
        limit greatest(0, least(${o.limit}::int, coalesce(floor(
          (w.tolerance_ms - greatest(extract(epoch from t.tat - ${o.now}::timestamptz) * 1000, 0)) / w.emission_ms + 1e-6
        )::int, ${o.limit}::int)))) c
    ), locked as (
      select r.id, r.function_id, c.queued, r.concurrency_key, r.concurrency_limit, r.throttle_key, c.next_at
      from candidates c join job_runs r on r.id = c.id
      where r.next_at <= ${o.now} and r.id <> all(${o.exclude}::uuid[]) and (r.status = 'queued') = c.queued
      order by c.queued, c.next_at
      limit ${o.limit * 4}
      for update of r skip locked
    ), cursors as (
      -- Where the next claim's walks start: after the last key looked at, or from the first key
      -- once a walk has seen the last one. Always one row, with the runs (if any) beside it.
      select (select max(key) from queued_keys having count(*) >= ${KEYS_PER_CLAIM}) as queued_cursor,
        (select max(key) from resumable_keys having count(*) >= ${KEYS_PER_CLAIM}) as resumable_cursor,
        (select max(key) from throttle_keys having count(*) >= ${KEYS_PER_CLAIM}) as throttle_cursor
    )
    select l.id, l.function_id, l.queued, l.concurrency_key, l.concurrency_limit, l.throttle_key, k.*
    from cursors k left join locked l on true
    order by l.queued, l.next_at`;
}

type CandidateRow = { [K in keyof Candidate]: Candidate[K] | null } & {
  queued_cursor: string | null;
  resumable_cursor: string | null;
  throttle_cursor: string | null;
};

/** The candidates of flowCandidates' answer; the key walks' cursors go to `o.cursor` for the next claim. */
function candidatesOf(rows: readonly CandidateRow[], o: ClaimOptions): Candidate[] {
  const [first] = rows;
  if (o.cursor) {
    o.cursor.queued = first?.queued_cursor ?? null;
    o.cursor.resumable = first?.resumable_cursor ?? null;
    o.cursor.throttle = first?.throttle_cursor ?? null;
  }
  return rows.flatMap((r) => (r.id === null ? [] : [r as Candidate]));
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

/**
 * The claimed runs with the steps they already went through. The claim has committed: its live
 * notices (each run now running) go out coalesced with the executor's other writes of the moment,
 * its statement having kept the triggers silent (a NOTIFY at each claim's commit made the claims
 * and every other notifying commit take turns on PostgreSQL's notify lock).
 */
async function withSteps(sql: Sql, rows: readonly ClaimRow[]): Promise<ClaimedRun[]> {
  noteLive(
    sqlLiveNotices(sql),
    "job",
    rows.map((r) => ({ w: r.workspace_id, id: r.id })),
  );
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
