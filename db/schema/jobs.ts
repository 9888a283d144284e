import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { authenticatedRole } from "drizzle-orm/supabase";
import { hasRoleIn } from "./_rls";
import { workspaces } from "./workspaces";

/**
 * The local executor's state (lib/jobs/executor): events, runs and step results of the
 * Inngest functions when no Inngest is configured. `workspace_id` is null for system runs
 * (cron). Only workspace admins may read their rows; nothing but the service role writes.
 */

export const JOB_RUN_STATUSES = ["queued", "running", "sleeping", "waiting", "completed", "failed", "cancelled"] as const;
export const JOB_STEP_STATUSES = ["completed", "failed", "retrying", "sleeping", "waiting"] as const;
export const JOB_STEP_OPS = ["run", "sleep", "wait", "send"] as const;

export const jobRunStatus = pgEnum("job_run_status", JOB_RUN_STATUSES);
export const jobStepStatus = pgEnum("job_step_status", JOB_STEP_STATUSES);
export const jobStepOp = pgEnum("job_step_op", JOB_STEP_OPS);

export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];
export type JobStepStatus = (typeof JOB_STEP_STATUSES)[number];
export type JobStepOp = (typeof JOB_STEP_OPS)[number];

export const jobEvents = pgTable(
  "job_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    /** The sender's event id: a second event with the same id is dropped, as Inngest does. */
    idempotencyKey: text("idempotency_key"),
    /** Set for events meant for one function only (cron ticks, failure handlers). */
    targetFunctionId: text("target_function_id"),
    ts: timestamp("ts", { withTimezone: true }).notNull(),
    /** When the executor fanned it out to runs, waits and cancellations. */
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("job_events_idempotency_key").on(t.idempotencyKey),
    index("job_events_undispatched_idx")
      .on(t.name, t.createdAt)
      .where(sql`${t.dispatchedAt} is null`),
    index("job_events_workspace_created_idx").on(t.workspaceId, t.createdAt.desc()),
    // A campaign page lists its launch and resume runs: found by campaign among the workspace's
    // every event (a sequence start per lead, each webhook) they cost a scan of all of them (100 ms
    // at 60,000). Only those two events are indexed, so other inserts pay nothing but the predicate.
    index("job_events_campaign_runs_idx")
      .on(sql`(${t.data} ->> 'campaignId')`)
      .where(sql`${t.name} in ('campaigns/launch.requested', 'campaigns/resume.requested')`),
    check("job_events_name_length", sql`char_length(${t.name}) between 1 and 200`),
    pgPolicy("job_events_admins_select", { for: "select", to: authenticatedRole, using: hasRoleIn(t.workspaceId, ["admin"]) }),
  ],
);

export const jobRuns = pgTable(
  "job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    functionId: text("function_id").notNull(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => jobEvents.id, { onDelete: "cascade" }),
    status: jobRunStatus("status").notNull().default("queued"),
    /** Attempts of the function body (errors thrown outside any step). */
    attempt: integer("attempt").notNull().default(0),
    /** Incremented by every claim; a save carries the value it claimed with (fencing). */
    claims: integer("claims").notNull().default(0),
    concurrencyKey: text("concurrency_key"),
    concurrencyLimit: integer("concurrency_limit"),
    /** The function's `throttle` key for this run (function id and key value): its start waits for the throttle. */
    throttleKey: text("throttle_key"),
    /** When the run is next due: start, wake-up, retry, wait timeout, or lease expiry. */
    nextAt: timestamp("next_at", { withTimezone: true }),
    leaseOwner: text("lease_owner"),
    output: jsonb("output"),
    error: jsonb("error").$type<JobError>(),
    replayOf: uuid("replay_of").references((): AnyPgColumn => jobRuns.id, { onDelete: "set null" }),
    /** For an onFailure handler's run: the run that failed. */
    failureOf: uuid("failure_of").references((): AnyPgColumn => jobRuns.id, { onDelete: "set null" }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Every claim and completion moves next_at, so each index here costs on every step of every
    // run (no HOT updates): keep only what queries need. Partial indexes skip finished runs.
    // Claims take runs already under way (wake-ups, retries, lapsed leases) before fresh ones:
    // those without a concurrency key (claimRuns) and those with one (nextDueAt) in indexes of
    // their own, so neither walks past the other's due wake-ups (100,000 sleeping runs of a busy
    // key read ahead of every keyless claim otherwise).
    index("job_runs_due_free_idx")
      .on(t.nextAt)
      .where(sql`${t.nextAt} is not null and ${t.status} <> 'queued' and ${t.concurrencyKey} is null`),
    index("job_runs_due_keyed_idx")
      .on(t.nextAt)
      .where(sql`${t.nextAt} is not null and ${t.status} <> 'queued' and ${t.concurrencyKey} is not null`),
    index("job_runs_queued_idx")
      .on(t.nextAt)
      .where(sql`${t.status} = 'queued'`),
    // Runs without flow control, for claimRuns: its walk in next_at order then reads none of the
    // runs waiting for a concurrency key or a throttle, however many there are.
    index("job_runs_queued_free_idx")
      .on(t.nextAt)
      .where(sql`${t.status} = 'queued' and ${t.concurrencyKey} is null and ${t.throttleKey} is null`),
    // Flow-controlled runs by key (claimLimitedRuns): each key's queue in next_at order, and its
    // keys one index probe each, so runs of a busy key never hide the runs of a free one behind them.
    index("job_runs_queued_key_idx")
      .on(t.concurrencyKey, t.nextAt)
      .where(sql`${t.status} = 'queued' and ${t.concurrencyKey} is not null`),
    index("job_runs_resumable_key_idx")
      .on(t.concurrencyKey, t.nextAt)
      .where(sql`${t.status} <> 'queued' and ${t.leaseOwner} is null and ${t.concurrencyKey} is not null and ${t.nextAt} is not null`),
    index("job_runs_queued_throttle_idx")
      .on(t.throttleKey, t.nextAt)
      .where(sql`${t.status} = 'queued' and ${t.throttleKey} is not null and ${t.concurrencyKey} is null`),
    index("job_runs_workspace_created_idx").on(t.workspaceId, t.createdAt.desc()),
    // cancelOn looks for a function's runs in progress; finished runs are left out.
    index("job_runs_active_function_idx")
      .on(t.functionId)
      .where(sql`${t.status} in ('queued', 'running', 'sleeping', 'waiting')`),
    // Lookups by event, and the cascade from job_events. (One run per event and function is
    // ensured by dispatching each event once, under SKIP LOCKED, in the transaction that marks it.)
    index("job_runs_event_idx").on(t.eventId),
    index("job_runs_leased_key_idx")
      .on(t.concurrencyKey)
      .where(sql`${t.leaseOwner} is not null and ${t.concurrencyKey} is not null`),
    check("job_runs_attempt_nonnegative", sql`${t.attempt} >= 0 and ${t.claims} >= 0`),
    check("job_runs_terminal_not_due", sql`${t.status} not in ('completed', 'failed', 'cancelled') or ${t.nextAt} is null`),
    check("job_runs_concurrency_limit_positive", sql`${t.concurrencyLimit} is null or ${t.concurrencyLimit} > 0`),
    pgPolicy("job_runs_admins_select", { for: "select", to: authenticatedRole, using: hasRoleIn(t.workspaceId, ["admin"]) }),
  ],
);

export const jobSteps = pgTable(
  "job_steps",
  {
    /** Identity: orders steps by when their state was first written. */
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runId: uuid("run_id")
      .notNull()
      .references(() => jobRuns.id, { onDelete: "cascade" }),
    /** Copied from the run (which cascades on workspace deletion) so RLS needs no join. */
    workspaceId: uuid("workspace_id"),
    /** sha1 of the step id with Inngest's `:n` suffix for repeats: the memoization key. */
    stepKey: text("step_key").notNull(),
    stepId: text("step_id").notNull(),
    name: text("name"),
    op: jobStepOp("op").notNull(),
    status: jobStepStatus("status").notNull(),
    attempts: integer("attempts").notNull().default(1),
    output: jsonb("output"),
    error: jsonb("error").$type<JobError>(),
    /** Every failed attempt: `{ attempt, at, error }`. */
    attemptErrors: jsonb("attempt_errors").$type<JobAttemptError[]>().notNull().default([]),
    /** A sleep's wake-up, a wait's timeout. */
    wakeAt: timestamp("wake_at", { withTimezone: true }),
    waitEvent: text("wait_event"),
    /** What the awaited event's data must contain (jsonb containment). */
    waitMatch: jsonb("wait_match").$type<Record<string, unknown>>(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("job_steps_run_step_key").on(t.runId, t.stepKey),
    index("job_steps_waiting_idx")
      .on(t.waitEvent)
      .where(sql`${t.status} = 'waiting'`),
    check("job_steps_attempts_nonnegative", sql`${t.attempts} >= 0`),
    check("job_steps_wait_has_event", sql`${t.op} <> 'wait' or ${t.waitEvent} is not null`),
    pgPolicy("job_steps_admins_select", { for: "select", to: authenticatedRole, using: hasRoleIn(t.workspaceId, ["admin"]) }),
  ],
);

/** A serialised error as stored and shown on the Jobs page. */
export type JobError = { name: string; message: string; stack?: string; cause?: unknown };
export type JobAttemptError = { attempt: number; at: string; error: JobError };
