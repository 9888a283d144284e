import type { Sql } from "postgres";
import type { JobError, JobRunStatus, JobStepOp, JobStepStatus } from "@/db/schema";

/**
 * The executor's state in PostgreSQL: its row types and its less frequent writes (the hot
 * path's are batched in write-queue.ts, claims are in claims.ts). Every write of a run is
 * guarded by the claim it was read with (`lease_owner`, `claims`): a process that lost the
 * run writes nothing, so a step's result is recorded once, by the process holding the run.
 */

export const JOBS_CHANNEL = "lip_jobs";

const json = (value: unknown) => JSON.stringify(value);

export type StepRow = {
  key: string;
  stepId: string;
  op: JobStepOp;
  status: JobStepStatus;
  attempts: number;
  output: unknown;
  error: JobError | null;
  wakeAt: Date | null;
};

export type ClaimedRun = {
  id: string;
  workspaceId: string | null;
  functionId: string;
  attempt: number;
  claims: number;
  failureOf: string | null;
  event: { id: string; name: string; data: Record<string, unknown>; ts: number };
  steps: Map<string, StepRow>;
};

export type Lease = { runId: string; owner: string; claims: number };

export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} is no longer held by this executor (cancelled, or its lease expired)`);
    this.name = "LeaseLostError";
  }
}

export type StepResult = {
  key: string;
  stepId: string;
  name: string | null;
  op: JobStepOp;
  attempts: number;
  startedAt: Date;
  endedAt: Date;
};

/** Records a step that exhausted its attempts (or failed for good); the handler sees a StepError. */
export async function saveFailedStep(sql: Sql, lease: Lease, step: StepResult, error: JobError): Promise<void> {
  const history = json([{ attempt: step.attempts - 1, at: step.endedAt.toISOString(), error }]);
  const rows = await sql`
    with run as (
      select id, workspace_id from job_runs where id = ${lease.runId} and lease_owner = ${lease.owner} and claims = ${lease.claims}
    )
    insert into job_steps (run_id, workspace_id, step_key, step_id, name, op, status, attempts, error, attempt_errors, started_at, ended_at)
    select run.id, run.workspace_id, ${step.key}, ${step.stepId}, ${step.name}, ${step.op}::job_step_op, 'failed'::job_step_status, ${step.attempts},
      ${json(error)}::text::jsonb, ${history}::text::jsonb, ${step.startedAt}, ${step.endedAt}
    from run
    on conflict (run_id, step_key) do update set status = 'failed', error = excluded.error, attempts = excluded.attempts,
      attempt_errors = job_steps.attempt_errors || excluded.attempt_errors, ended_at = excluded.ended_at
    where job_steps.status <> 'completed'
    returning job_steps.id`;
  if (rows.length === 0) throw new LeaseLostError(lease.runId);
}

export type NewEvent = {
  id: string;
  name: string;
  data: Record<string, unknown>;
  workspaceId: string | null;
  idempotencyKey: string | null;
  ts: Date;
  targetFunctionId?: string | null;
};

const eventRecords = (events: NewEvent[]) =>
  json(
    events.map((e) => ({
      id: e.id,
      name: e.name,
      data: e.data,
      workspace_id: e.workspaceId,
      idempotency_key: e.idempotencyKey,
      ts: e.ts.toISOString(),
      target_function_id: e.targetFunctionId ?? null,
    })),
  );

/** `step.sendEvent`: the events and the step's result commit together, or neither does. */
export async function saveSendEventStep(sql: Sql, lease: Lease, step: StepResult, events: NewEvent[], outputJson: string): Promise<void> {
  const rows = await sql`
    with run as (
      select id, workspace_id from job_runs where id = ${lease.runId} and lease_owner = ${lease.owner} and claims = ${lease.claims}
    ), sent as (
      insert into job_events (id, name, data, workspace_id, idempotency_key, ts, target_function_id)
      select e.id, e.name, e.data, e.workspace_id, e.idempotency_key, e.ts, e.target_function_id
      from run, jsonb_to_recordset(${eventRecords(events)}::text::jsonb)
        as e(id uuid, name text, data jsonb, workspace_id uuid, idempotency_key text, ts timestamptz, target_function_id text)
      on conflict (idempotency_key) do nothing
      returning id
    )
    insert into job_steps (run_id, workspace_id, step_key, step_id, name, op, status, attempts, output, started_at, ended_at)
    select run.id, run.workspace_id, ${step.key}, ${step.stepId}, ${step.name}, 'send'::job_step_op, 'completed'::job_step_status, ${step.attempts},
      ${outputJson}::text::jsonb, ${step.startedAt}, ${step.endedAt}
    from run
    on conflict (run_id, step_key) do nothing
    returning job_steps.id, pg_notify(${JOBS_CHANNEL}, 'event')`;
  if (rows.length === 0) throw new LeaseLostError(lease.runId);
}

/** Events from outside a run (cron ticks); duplicates by idempotency key are dropped. */
export async function insertEvents(sql: Sql, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql`
    with sent as (
      insert into job_events (id, name, data, workspace_id, idempotency_key, ts, target_function_id)
      select e.id, e.name, e.data, e.workspace_id, e.idempotency_key, e.ts, e.target_function_id
      from jsonb_to_recordset(${eventRecords(events)}::text::jsonb)
        as e(id uuid, name text, data jsonb, workspace_id uuid, idempotency_key text, ts timestamptz, target_function_id text)
      on conflict (idempotency_key) do nothing
      returning id
    )
    select pg_notify(${JOBS_CHANNEL}, 'event') from sent limit 1`;
}

/** A pause or a scheduled retry written when the executor lets go of a run. */
export type PendingStep = {
  key: string;
  stepId: string;
  name: string | null;
  op: JobStepOp;
  status: "sleeping" | "waiting" | "retrying";
  attempts: number;
  error?: JobError;
  attemptErrors?: { attempt: number; at: string; error: JobError }[];
  wakeAt?: Date;
  waitEvent?: string;
  waitMatch?: Record<string, unknown>;
  startedAt: Date;
};

export type Release = {
  status: Extract<JobRunStatus, "running" | "sleeping" | "waiting">;
  nextAt: Date;
  now: Date;
  attempt: number;
  error: JobError | null;
  steps: PendingStep[];
  /** Keys of waits: if the dispatcher already matched one, the run is due at once. */
  waitKeys: string[];
};

/** Fails a run for good; with an onFailure handler, its event and run are created in the same statement. */
export async function failRun(
  sql: Sql,
  lease: Lease,
  error: JobError,
  now: Date,
  failure?: { functionId: string; event: NewEvent },
): Promise<void> {
  const events = failure ? [{ ...failure.event, targetFunctionId: failure.functionId }] : [];
  const rows = await sql`
    with failed as (
      update job_runs set status = 'failed', error = ${json(error)}::text::jsonb, ended_at = ${now},
        next_at = null, lease_owner = null, updated_at = ${now}
      where id = ${lease.runId} and lease_owner = ${lease.owner} and claims = ${lease.claims}
      returning id, workspace_id
    ), sent as (
      insert into job_events (id, name, data, workspace_id, idempotency_key, ts, target_function_id, dispatched_at)
      select e.id, e.name, e.data, e.workspace_id, e.idempotency_key, e.ts, e.target_function_id, ${now}
      from failed, jsonb_to_recordset(${eventRecords(events)}::text::jsonb)
        as e(id uuid, name text, data jsonb, workspace_id uuid, idempotency_key text, ts timestamptz, target_function_id text)
      returning id, workspace_id, target_function_id
    ), handler as (
      insert into job_runs (workspace_id, function_id, event_id, failure_of, next_at)
      select sent.workspace_id, sent.target_function_id, sent.id, failed.id, ${now} from sent, failed
      returning id
    )
    select failed.id, (select count(*) from handler) as handlers,
      case when exists (select 1 from handler) then pg_notify(${JOBS_CHANNEL}, 'run') end as notified
    from failed`;
  if (rows.length === 0) throw new LeaseLostError(lease.runId);
}

/** After an unexpected error in the executor itself: let another attempt pick the run up soon. */
export async function abandonRun(sql: Sql, lease: Lease, retryAt: Date): Promise<void> {
  await sql`
    update job_runs set lease_owner = null, next_at = ${retryAt}
    where id = ${lease.runId} and lease_owner = ${lease.owner} and claims = ${lease.claims}`;
}

/** A wait whose timeout passed: resolve it to null unless an event matched it first. */
export async function resolveWaitTimeout(sql: Sql, runId: string, key: string, now: Date): Promise<unknown> {
  const updated = await sql`
    update job_steps set status = 'completed', output = 'null'::jsonb, ended_at = ${now}
    where run_id = ${runId} and step_key = ${key} and status = 'waiting'
    returning id`;
  if (updated.length > 0) return null;
  const [row] = await sql<{ output: unknown }[]>`select output from job_steps where run_id = ${runId} and step_key = ${key}`;
  return row?.output ?? null;
}

/**
 * Runs are locked by id, in order, as every statement of the executor that writes several runs
 * does (write-queue.ts, dispatcher.ts): two such statements can wait on each other only in one
 * direction, never in a cycle. Before, each took the order of its own plan, and under a launch's
 * 96 runs at once a renewal and a batch of releases deadlocked (lock-order.integration.test.ts).
 */
export async function renewLeases(sql: Sql, owner: string, runIds: string[], leaseUntil: Date): Promise<void> {
  if (runIds.length === 0) return;
  await sql`
    update job_runs r set next_at = ${leaseUntil}
    from (select id from job_runs where id = any(${runIds}::uuid[]) and lease_owner = ${owner} order by id for update) held
    where r.id = held.id`;
}

/**
 * When the next run of these functions is due (not counting leases held right now), asked after
 * a claim that found less than it could take. A run with a concurrency key that is due already
 * was not claimed because its key's slots are taken: it is left out, or the executor would claim
 * again at once, over and over, while the key stays busy (hundreds of empty claims a second
 * during a launch's sends for one mailbox). A slot comes free when a run of the key ends: in this
 * process that wakes the executor, in another the next poll finds it.
 */
export async function nextDueAt(sql: Sql, functionIds: string[], now: Date): Promise<Date | null> {
  const [row] = await sql<{ at: Date | null }[]>`
    select least(
      (select min(next_at) from job_runs where status = 'queued' and concurrency_key is null and throttle_key is null
        and function_id = any(${functionIds}::text[])),
      (select min(next_at) from job_runs where status = 'queued' and concurrency_key is not null and throttle_key is null
        and next_at > ${now} and function_id = any(${functionIds}::text[])),
      -- A throttled start is due when its throttle allows it, too.
      (select min(greatest(q.at, t.available_at)) from (
          select throttle_key, min(next_at) as at from job_runs
          where status = 'queued' and throttle_key is not null and concurrency_key is null and function_id = any(${functionIds}::text[])
          group by throttle_key
        ) q left join private.job_throttles t on t.key = q.throttle_key),
      (select min(t.available_at) from private.job_throttles t where t.available_at > ${now} and exists (
          select 1 from job_runs r where r.status = 'queued' and r.throttle_key = t.key and r.concurrency_key is not null
            and r.function_id = any(${functionIds}::text[]))),
      -- Runs under way: without a key and with one, each in its own index (job_runs_due_free_idx, _keyed_idx).
      (select min(next_at) from job_runs where next_at is not null and status <> 'queued' and lease_owner is null
        and concurrency_key is null and function_id = any(${functionIds}::text[])),
      (select min(next_at) from job_runs where next_at > ${now} and status <> 'queued' and lease_owner is null
        and concurrency_key is not null and function_id = any(${functionIds}::text[]))
    ) as at`;
  return row?.at ?? null;
}

/** Sleeps whose wake-up passed while the run was being executed. */
export async function closeSleeps(sql: Sql, runId: string, keys: string[]): Promise<void> {
  await sql`
    update job_steps set status = 'completed', ended_at = wake_at
    where run_id = ${runId} and step_key = any(${keys}::text[]) and status = 'sleeping'`;
}
