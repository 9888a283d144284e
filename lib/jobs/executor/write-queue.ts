import type { Sql } from "postgres";
import { Batcher } from "@/lib/batching/batcher";
import { noteLive, sqlLiveNotices } from "@/lib/live/deferred-notices";
import { LeaseLostError, type Lease, type PendingStep, type Release, type StepResult } from "./store";

/**
 * The executor's three frequent writes (a completed step, a completed run, a run letting go
 * to sleep, wait or retry), each one multi-row statement per batch. A row is written only
 * for a run still held under the claim it was read with (`lease_owner`, `claims`); a write
 * for a run this process lost rejects with LeaseLostError and nothing of it is stored.
 */
export class WriteQueue {
  /**
   * Completed steps and completed runs share one queue: a batch holding both is one statement
   * and one commit, not two statements competing for the CPU and the WAL flush.
   */
  private readonly saves: Batcher<SaveWrite, boolean>;
  private readonly releases: Batcher<ReleaseWrite, boolean>;

  constructor(sql: Sql) {
    this.saves = new Batcher((items) => saveStepsAndCompletions(sql, items));
    this.releases = new Batcher((items) => releaseRuns(sql, items));
  }

  async saveCompletedStep(lease: Lease, step: StepResult, outputJson: string): Promise<void> {
    if (!(await this.saves.submit({ kind: "step", lease, step, outputJson }))) throw new LeaseLostError(lease.runId);
  }

  async completeRun(lease: Lease, outputJson: string, now: Date): Promise<void> {
    if (!(await this.saves.submit({ kind: "completion", lease, outputJson, now }))) throw new LeaseLostError(lease.runId);
  }

  async releaseRun(lease: Lease, release: Release): Promise<void> {
    if (!(await this.releases.submit({ lease, release }))) throw new LeaseLostError(lease.runId);
  }
}

type StepWrite = { kind: "step"; lease: Lease; step: StepResult; outputJson: string };
type CompletionWrite = { kind: "completion"; lease: Lease; outputJson: string; now: Date };
type SaveWrite = StepWrite | CompletionWrite;
type ReleaseWrite = { lease: Lease; release: Release };

/** A JSON array of records, each with an already-serialised value spliced in (no second stringify). */
function records<T>(items: T[], fields: (item: T) => Record<string, unknown>, raw?: (item: T) => string): string {
  const parts = items.map((item) => {
    const json = JSON.stringify(fields(item));
    return raw ? `${json.slice(0, -1)},"raw":${raw(item)}}` : json;
  });
  return `[${parts.join(",")}]`;
}

/**
 * A record's fields with the lease that fences its write. Object.assign rather than
 * `{ ...lease, more }`: on Node 20, a spread followed by new keys takes a slow path whose objects
 * outlive young-generation collections, and on this hot path that made every scavenge several
 * milliseconds long (the tail of the executor's per-step overhead). See `npm run bench:jobs`.
 */
const withLease = <T extends object>(lease: Lease, fields: T) =>
  Object.assign({ run_id: lease.runId, owner: lease.owner, claims: lease.claims }, fields);

/**
 * The runs a batch touches, as an array: `r.id = any(...)` lets PostgreSQL reach them by primary
 * key. Without it the planner guesses 100 rows for jsonb_to_recordset and may hash-join against
 * a scan of the whole job_runs table.
 */
const runIdsOf = (items: { lease: Lease }[]) => items.map((i) => i.lease.runId);

const stepRecords = (items: StepWrite[]) =>
  records(
    items,
    ({ lease, step }) =>
      withLease(lease, {
        key: step.key,
        step_id: step.stepId,
        name: step.name,
        op: step.op,
        attempts: step.attempts,
        started_at: step.startedAt.toISOString(),
        ended_at: step.endedAt.toISOString(),
      }),
    (item) => item.outputJson,
  );

const completionRecords = (items: CompletionWrite[]) =>
  records(
    items,
    ({ lease, now }) => withLease(lease, { now: now.toISOString() }),
    (item) => item.outputJson,
  );

/**
 * A batch of completed steps and completed runs, in one statement (one commit) when it holds
 * both. A run's completion and one of its steps are never in the same batch: a run completes
 * only after the saves of its steps have resolved.
 *
 * Each statement is one tagged template, written out whole: nested sql`` fragments (and
 * `sql.unsafe` with these parameters) make postgres.js allocate objects that outlive
 * young-generation collections on Node 20, which made every scavenge of the executor several
 * milliseconds long: the tail of its per-step overhead in `npm run bench:jobs`.
 */
async function saveStepsAndCompletions(sql: Sql, items: SaveWrite[]): Promise<boolean[]> {
  const steps = items.filter((i): i is StepWrite => i.kind === "step");
  const completions = items.filter((i): i is CompletionWrite => i.kind === "completion");
  const rows = completions.length === 0 ? await saveSteps(sql, steps) : await saveStepsAndCompleteRuns(sql, steps, completions);
  noteRuns(
    sql,
    rows.filter((r) => r.step_key === null),
  );
  const done = new Set(rows.map((r) => (r.step_key === null ? r.run_id : `${r.run_id} ${r.step_key}`)));
  return items.map((i) => done.has(i.kind === "step" ? `${i.lease.runId} ${i.step.key}` : i.lease.runId));
}

/** A saved step (its key), or a completed run (no key; its workspace, for its live notice). */
type SavedRow = { run_id: string; step_key: string | null; workspace_id?: string | null };

/**
 * Runs whose status these statements changed (completed, or sleeping, waiting, retrying): their
 * statements kept the live triggers silent (DEFER_LIVE_SQL in lib/live/deferred-notices.ts) and,
 * now committed, the Jobs pages hear of them with the executor's other writes of the moment.
 */
function noteRuns(sql: Sql, rows: readonly { run_id: string; workspace_id?: string | null }[]): void {
  noteLive(
    sqlLiveNotices(sql),
    "job",
    rows.map((r) => ({ w: r.workspace_id ?? null, id: r.run_id })),
  );
}

/**
 * Steps only: the most frequent batch. Its own statement, though the one below could save
 * steps alone too: run with no completions, that one measured slower (bench:jobs overhead p99
 * 0.1–1 ms higher in four paired runs).
 */
const saveSteps = (sql: Sql, steps: StepWrite[]) => sql<SavedRow[]>`
  with b as (
    select b.*, r.workspace_id
    from jsonb_to_recordset(${stepRecords(steps)}::text::jsonb) as b(run_id uuid, owner text, claims int, key text, step_id text,
      name text, op text, attempts int, started_at timestamptz, ended_at timestamptz, raw jsonb)
    join job_runs r on r.id = b.run_id and r.lease_owner = b.owner and r.claims = b.claims
    where r.id = any(${runIdsOf(steps)}::uuid[])
  )
  insert into job_steps (run_id, workspace_id, step_key, step_id, name, op, status, attempts, output, started_at, ended_at)
  select run_id, workspace_id, key, step_id, name, op::job_step_op, 'completed'::job_step_status, attempts, raw, started_at, ended_at
  from b
  on conflict (run_id, step_key) do update set status = 'completed', output = excluded.output, error = null,
    attempts = excluded.attempts, started_at = excluded.started_at, ended_at = excluded.ended_at
  where job_steps.status <> 'completed'
  returning job_steps.run_id, job_steps.step_key`;

/** Completed runs, with the steps saved alongside (the same step statement as above; `steps` may be empty). */
const saveStepsAndCompleteRuns = (sql: Sql, steps: StepWrite[], completions: CompletionWrite[]) => sql<SavedRow[]>`
  with b as (
    select b.*, r.workspace_id
    from jsonb_to_recordset(${stepRecords(steps)}::text::jsonb) as b(run_id uuid, owner text, claims int, key text, step_id text,
      name text, op text, attempts int, started_at timestamptz, ended_at timestamptz, raw jsonb)
    join job_runs r on r.id = b.run_id and r.lease_owner = b.owner and r.claims = b.claims
    where r.id = any(${runIdsOf(steps)}::uuid[])
  ), saved as (
    insert into job_steps (run_id, workspace_id, step_key, step_id, name, op, status, attempts, output, started_at, ended_at)
    select run_id, workspace_id, key, step_id, name, op::job_step_op, 'completed'::job_step_status, attempts, raw, started_at, ended_at
    from b
    on conflict (run_id, step_key) do update set status = 'completed', output = excluded.output, error = null,
      attempts = excluded.attempts, started_at = excluded.started_at, ended_at = excluded.ended_at
    where job_steps.status <> 'completed'
    returning job_steps.run_id, job_steps.step_key
  ), held as (
    -- Locked in id order, as every multi-run write of the executor locks them (renewLeases).
    select id from job_runs where id = any(${runIdsOf(completions)}::uuid[]) order by id for update
  ), completed as (
    update job_runs r set status = 'completed', output = c.raw, error = null, ended_at = c.now, next_at = null,
      lease_owner = null, updated_at = c.now
    from held, jsonb_to_recordset(${completionRecords(completions)}::text::jsonb) as c(run_id uuid, owner text, claims int, now timestamptz, raw jsonb)
    where r.id = held.id and r.id = any(${runIdsOf(completions)}::uuid[]) and r.id = c.run_id and r.lease_owner = c.owner and r.claims = c.claims
    -- Its live notices are sent by noteRuns once committed (set_config: DEFER_LIVE_SQL).
    returning r.id, r.workspace_id, set_config('lip.live_deferred', statement_timestamp()::text, true) as live_deferred
  )
  select run_id, step_key, null::uuid as workspace_id from saved
  union all
  select id, null, workspace_id from completed`;

const pendingStepFields = (s: PendingStep) => ({
  key: s.key,
  step_id: s.stepId,
  name: s.name,
  op: s.op,
  status: s.status,
  attempts: s.attempts,
  error: s.error ?? null,
  attempt_errors: s.attemptErrors ?? [],
  wake_at: s.wakeAt?.toISOString() ?? null,
  wait_event: s.waitEvent ?? null,
  wait_match: s.waitMatch ?? null,
  started_at: s.startedAt.toISOString(),
});

/** Lets go of runs that sleep, wait or retry: their pending steps are recorded, the lease given back. */
async function releaseRuns(sql: Sql, items: ReleaseWrite[]): Promise<boolean[]> {
  const batch = records(items, ({ lease, release: r }) =>
    withLease(lease, {
      status: r.status,
      next_at: r.nextAt.toISOString(),
      now: r.now.toISOString(),
      attempt: r.attempt,
      error: r.error,
      steps: r.steps.map(pendingStepFields),
      wait_keys: r.waitKeys,
    }),
  );
  const done = await sql<{ id: string; workspace_id: string | null }[]>`
    with b as (
      select * from jsonb_to_recordset(${batch}::text::jsonb) as b(run_id uuid, owner text, claims int, status text,
        next_at timestamptz, now timestamptz, attempt int, error jsonb, steps jsonb, wait_keys text[])
    ), held as (
      select b.*, r.workspace_id from b join job_runs r on r.id = b.run_id and r.lease_owner = b.owner and r.claims = b.claims
      where r.id = any(${runIdsOf(items)}::uuid[])
      -- Locked in id order, as every multi-run write of the executor locks them (renewLeases).
      order by r.id
      for update of r
    ), pending as (
      insert into job_steps (run_id, workspace_id, step_key, step_id, name, op, status, attempts, error, attempt_errors,
        wake_at, wait_event, wait_match, started_at)
      select held.run_id, held.workspace_id, s.key, s.step_id, s.name, s.op::job_step_op, s.status::job_step_status, s.attempts,
        s.error, s.attempt_errors, s.wake_at, s.wait_event, s.wait_match, s.started_at
      from held, jsonb_to_recordset(held.steps) as s(key text, step_id text, name text, op text, status text, attempts int,
        error jsonb, attempt_errors jsonb, wake_at timestamptz, wait_event text, wait_match jsonb, started_at timestamptz)
      on conflict (run_id, step_key) do update set status = excluded.status, attempts = excluded.attempts,
        error = excluded.error, attempt_errors = job_steps.attempt_errors || excluded.attempt_errors
      where job_steps.status = 'retrying'
      returning 1
    )
    update job_runs r set status = held.status::job_run_status, lease_owner = null, attempt = held.attempt,
      error = held.error, updated_at = held.now,
      -- A wait the dispatcher already satisfied makes the run due at once.
      next_at = case when exists (
        select 1 from job_steps s where s.run_id = r.id and s.step_key = any(held.wait_keys) and s.status = 'completed'
      ) then held.now else held.next_at end
    from held where r.id = any(${runIdsOf(items)}::uuid[]) and r.id = held.run_id
    -- Its live notices are sent by noteRuns once committed (set_config: DEFER_LIVE_SQL).
    returning r.id, r.workspace_id, set_config('lip.live_deferred', statement_timestamp()::text, true) as live_deferred`;
  noteRuns(
    sql,
    done.map((r) => ({ run_id: r.id, workspace_id: r.workspace_id })),
  );
  const ids = new Set(done.map((r) => r.id));
  return items.map((i) => ids.has(i.lease.runId));
}
