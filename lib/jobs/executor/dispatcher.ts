import { randomUUID } from "node:crypto";
import type { Sql, TransactionSql } from "postgres";
import { publishedCancelRules } from "./cancel-rules";
import { containmentFor, evaluate, neverMatches, readPath } from "./expressions";
import type { CancelRule, Registry, RegisteredFunction } from "./registry";
import { JOBS_CHANNEL } from "./store";
import type { Clock } from "./time";

/**
 * Fans new events out, in the order they were sent: a run for every function they trigger,
 * the waits they satisfy (`step.waitForEvent`), and the runs they cancel (`cancelOn`). One
 * transaction per batch, the events locked so each is handled once.
 *
 * The order holds across executors and batches because a run's place in every FIFO queue
 * (a throttle's, a concurrency key's) is its next_at. The events are locked in send order and
 * waited for, not skipped: with SKIP LOCKED, a second executor passed over the events a first
 * was fanning out and made runs of later events first, with its own clock (a throttled run
 * then started before one sent earlier, as CI saw). And each batch is fanned out at a later
 * moment than the one before it (dispatchPending), so a launch of thousands of events does
 * not give batch after batch the same next_at. Left open: executors whose clocks disagree by
 * more than a batch's time can still interleave their batches' runs by that much.
 */

type EventRow = {
  id: string;
  workspace_id: string | null;
  name: string;
  data: Record<string, unknown>;
  ts: Date;
  target_function_id: string | null;
  created_at: Date;
};

export type DispatchScope = { registry: Registry; eventNames: string[]; functionIds: string[] };

/**
 * Fans out every event waiting, batch after batch, each batch's runs due after the previous
 * batch's (see startRuns). Returns the number of events handled.
 */
export async function dispatchPending(
  sql: Sql,
  scope: DispatchScope,
  o: { clock: Clock; batchSize: number; stopping: () => boolean },
): Promise<number> {
  let total = 0;
  let after = Number.NEGATIVE_INFINITY;
  for (;;) {
    const batch = await dispatchEvents(sql, scope, { clock: o.clock, after, batchSize: o.batchSize });
    total += batch.handled;
    after = batch.at;
    if (batch.handled < o.batchSize || o.stopping()) return total;
  }
}

async function dispatchEvents(
  sql: Sql,
  scope: DispatchScope,
  o: { clock: Clock; after: number; batchSize: number },
): Promise<{ handled: number; at: number }> {
  const waitNames = await namesAwaited(sql);
  const names = [...new Set([...scope.eventNames, ...waitNames])];
  return sql.begin(async (tx) => {
    const events = await tx<EventRow[]>`
      select id, workspace_id, name, data, ts, target_function_id, created_at from job_events
      where dispatched_at is null and name = any(${names}::text[])
        and (target_function_id is null or target_function_id = any(${scope.functionIds}::text[]))
      order by created_at, id
      limit ${o.batchSize}
      for update`;
    if (events.length === 0) return { handled: 0, at: o.after };
    const runs = runsFor(scope.registry, events);
    // Late enough that this batch's runs, due in the microseconds before it, follow the last batch's.
    const now = new Date(Math.max(o.clock.now(), o.after + Math.ceil(runs.length / 1000)));
    const started = await startRuns(tx, runs, now);
    const woken = await resolveWaits(tx, events, now);
    const cancelled = await cancelRuns(tx, scope.registry, events, now);
    await tx`update job_events set dispatched_at = ${now} where id = any(${events.map((e) => e.id)}::uuid[])`;
    if (started + woken + cancelled > 0) await tx`select pg_notify(${JOBS_CHANNEL}, 'run')`;
    return { handled: events.length, at: now.getTime() };
  });
}

/** Event names some waiting step is listening for (any function: waits are matched by whoever dispatches). */
async function namesAwaited(sql: Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`select distinct wait_event as name from job_steps where status = 'waiting'`;
  return rows.map((r) => r.name);
}

export function payloadOf(e: { id: string; name: string; data: Record<string, unknown>; ts: Date }) {
  return { name: e.name, data: e.data, id: e.id, ts: e.ts.getTime() };
}

export function concurrencyKeyOf(fn: RegisteredFunction, event: unknown): string | null {
  if (!fn.concurrency) return null;
  if (!fn.concurrency.keyPath) return fn.id;
  const value = JSON.stringify(readPath(event, fn.concurrency.keyPath) ?? null);
  // Account scope: one queue for every function whose key has this value.
  return fn.concurrency.scope === "account" ? `account:${value}` : `${fn.id}:${value}`;
}

/** One throttle per function, and per value of its key (Inngest: "each function has its own throttle"). */
export function throttleKeyOf(fn: RegisteredFunction, event: unknown): string | null {
  if (!fn.throttle) return null;
  if (!fn.throttle.keyPath) return fn.id;
  return `${fn.id}:${JSON.stringify(readPath(event, fn.throttle.keyPath) ?? null)}`;
}

type NewRun = Record<string, unknown>;

/** A run for every function each event triggers, in the order of the events. */
function runsFor(registry: Registry, events: EventRow[]): NewRun[] {
  const runs: NewRun[] = [];
  for (const event of events) {
    const payload = payloadOf(event);
    const targets = event.target_function_id
      ? [registry.functions.get(event.target_function_id)].filter((f): f is RegisteredFunction => f !== undefined)
      : (registry.byEvent.get(event.name) ?? []);
    for (const fn of targets) {
      // Any of its triggers for this event may let it through (one per function whose cancellations a function follows, say).
      const triggers = fn.triggers.filter((t) => t.event === event.name);
      if (triggers.length > 0 && !triggers.some((t) => !t.filter || evaluate(t.filter, { event: payload }))) continue;
      runs.push({
        id: randomUUID(),
        workspace_id: event.workspace_id,
        function_id: fn.id,
        event_id: event.id,
        concurrency_key: concurrencyKeyOf(fn, payload),
        concurrency_limit: fn.concurrency?.limit ?? null,
        throttle_key: throttleKeyOf(fn, payload),
        // Runs are due a microsecond apart in the order of their events (all by now), so claims,
        // ordered by next_at, take them first in, first out: a throttle's queue is FIFO, as Inngest's is.
        order: runs.length,
        failure_of: fn.kind === "failure" && typeof event.data.run_id === "string" ? event.data.run_id : null,
      });
    }
  }
  return runs;
}

async function startRuns(tx: TransactionSql, runs: NewRun[], now: Date): Promise<number> {
  if (runs.length === 0) return 0;
  const inserted = await tx`
    insert into job_runs (id, workspace_id, function_id, event_id, concurrency_key, concurrency_limit, throttle_key, failure_of,
      next_at, created_at, updated_at)
    select r.id, r.workspace_id, r.function_id, r.event_id, r.concurrency_key, r.concurrency_limit, r.throttle_key, r.failure_of,
      ${now}::timestamptz - (${runs.length} - r."order") * interval '1 microsecond', ${now}, ${now}
    from jsonb_to_recordset(${JSON.stringify(runs)}::text::jsonb) as r(id uuid, workspace_id uuid, function_id text, event_id uuid,
      concurrency_key text, concurrency_limit int, throttle_key text, failure_of uuid, "order" int)
    on conflict do nothing
    returning id`;
  return inserted.length;
}

async function resolveWaits(tx: TransactionSql, events: EventRow[], now: Date): Promise<number> {
  const awaited = await tx<{ name: string }[]>`
    select distinct wait_event as name from job_steps
    where status = 'waiting' and wait_event = any(${[...new Set(events.map((e) => e.name))]}::text[])`;
  const names = new Set(awaited.map((a) => a.name));
  const runIds = new Set<string>();
  for (const event of events) {
    if (!names.has(event.name)) continue;
    // A wait only hears events of its own workspace (or system events for system runs).
    const rows = await tx<{ run_id: string }[]>`
      update job_steps s set status = 'completed', output = ${JSON.stringify(payloadOf(event))}::text::jsonb, ended_at = ${now}
      where s.status = 'waiting' and s.wait_event = ${event.name}
        and ${JSON.stringify(event.data)}::text::jsonb @> coalesce(s.wait_match, '{}'::jsonb)
        and s.workspace_id is not distinct from ${event.workspace_id}::uuid
      returning s.run_id`;
    for (const r of rows) runIds.add(r.run_id);
  }
  if (runIds.size === 0) return 0;
  // Locked in id order, as every multi-run write of the executor locks them (store.ts, renewLeases).
  await tx`
    update job_runs r set next_at = ${now}, updated_at = ${now}
    from (select id from job_runs where id = any(${[...runIds]}::uuid[]) order by id for update) held
    where r.id = held.id and r.status = 'waiting' and r.lease_owner is null`;
  return runIds.size;
}

/** Runs of any executor's functions (cancel-rules.ts) whose cancelOn rules these events meet. */
async function cancelRuns(tx: TransactionSql, registry: Registry, events: EventRow[], now: Date): Promise<number> {
  const others = await publishedCancelRules(tx, registry, [...new Set(events.map((e) => e.name))]);
  const rulesFor = (name: string): CancelRule[] => [...(registry.cancelByEvent.get(name) ?? []), ...others.filter((r) => r.event === name)];
  let cancelled = 0;
  for (const event of events) {
    for (const rule of rulesFor(event.name)) {
      const contains = containmentFor(rule.equalities, { side: "async", event: payloadOf(event) }, rule.expression);
      if (neverMatches(contains)) continue;
      const since = rule.timeoutMs === undefined ? null : new Date(event.ts.getTime() - rule.timeoutMs);
      const error = { name: "Cancelled", message: `Cancelled by the event "${event.name}" (${event.id}).` };
      // The runs are locked in id order first, as every multi-run write of the executor locks them
      // (store.ts, renewLeases): a pause cancels the sends of hundreds of running runs at once.
      const rows = await tx`
        with held as (
          select r.id from job_runs r join job_events te on te.id = r.event_id
          where r.function_id = ${rule.functionId}
            and r.status in ('queued', 'running', 'sleeping', 'waiting')
            and r.workspace_id is not distinct from ${event.workspace_id}::uuid
            and te.created_at <= ${event.created_at}
            and te.data @> ${JSON.stringify(contains)}::text::jsonb
            and (${since}::timestamptz is null or r.created_at >= ${since}::timestamptz)
          order by r.id
          for update of r
        )
        update job_runs r set status = 'cancelled', next_at = null, lease_owner = null, ended_at = ${now}, updated_at = ${now},
          error = ${JSON.stringify(error)}::text::jsonb
        from held
        where r.id = held.id and r.status in ('queued', 'running', 'sleeping', 'waiting')
        returning r.id`;
      cancelled += rows.length;
    }
  }
  return cancelled;
}
