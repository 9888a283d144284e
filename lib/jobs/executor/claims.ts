import type { Sql } from "postgres";
import type { ClaimedRun, StepRow } from "./store";

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
        and concurrency_key is null
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
 * Runs of functions with a concurrency limit: the keys are locked (advisory, in order) before
 * counting the runs that hold a lease, so two executors cannot both take the last slot.
 */
export async function claimLimitedRuns(sql: Sql, o: ClaimOptions): Promise<ClaimedRun[]> {
  if (o.limit <= 0) return [];
  const rows = await sql.begin(async (tx): Promise<readonly ClaimRow[]> => {
    const candidates = await tx<{ id: string; concurrency_key: string; concurrency_limit: number }[]>`
      select id, concurrency_key, concurrency_limit from job_runs
      where next_at <= ${o.now} and function_id = any(${o.functionIds}::text[]) and concurrency_key is not null
        and id <> all(${o.exclude}::uuid[])
      order by status = 'queued', next_at
      limit ${o.limit * 4}
      for update skip locked`;
    if (candidates.length === 0) return [];
    const keys = [...new Set(candidates.map((c) => c.concurrency_key))].sort();
    for (const key of keys) await tx`select pg_advisory_xact_lock(hashtext(${key}))`;
    const active = await tx<{ concurrency_key: string; n: number }[]>`
      select concurrency_key, count(*)::int as n from job_runs
      where concurrency_key = any(${keys}::text[]) and lease_owner is not null and status = 'running' and next_at > ${o.now}
      group by concurrency_key`;
    const used = new Map(active.map((a) => [a.concurrency_key, a.n]));
    const chosen: string[] = [];
    for (const c of candidates) {
      const n = used.get(c.concurrency_key) ?? 0;
      if (n >= c.concurrency_limit || chosen.length >= o.limit) continue;
      used.set(c.concurrency_key, n + 1);
      chosen.push(c.id);
    }
    if (chosen.length === 0) return [];
    // The same lease as in claimRuns, for the runs chosen here (written out whole: see the note above claimRuns).
    return tx<ClaimRow[]>`
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
  });
  return withSteps(sql, rows as readonly ClaimRow[]);
}

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
