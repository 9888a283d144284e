import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Sql } from "postgres";
import { openPostgres } from "@/db/postgres-target";
import type { RetryPolicy } from "./backoff";
import { sqlLiveNotices } from "@/lib/live/deferred-notices";
import { publishCancelRules } from "./cancel-rules";
import { claimLimitedRuns, claimRuns, type FlowCursor } from "./claims";
import { usePreparedStatements } from "@/db/prepare-mode";
import { consoleLogger, EXECUTOR_DEFAULTS } from "./config";
import { CronTicks } from "./cron-ticks";
import { dispatchPending, type DispatchScope } from "./dispatcher";
import { buildRegistry, type LocalFunction, type Registry, type Throttle } from "./registry";
import { RunExecution } from "./run-execution";
import { DEFAULT_MAX_OUTPUT_BYTES } from "./serialize";
import { JOBS_CHANNEL, nextDueAt, renewLeases, type ClaimedRun } from "./store";
import { systemClock, type Clock } from "./time";
import type { ExecutionEnv, ExecutorHooks, ExecutorLogger, OutgoingEvent } from "./types";
import { WriteQueue } from "./write-queue";

export type LocalExecutorOptions = {
  databaseUrl: string;
  functions: readonly LocalFunction[];
  /** Runs executing at once in this process. */
  concurrency?: number;
  poolSize?: number;
  /** How long a claim holds a run without a heartbeat; a crashed process's runs resume after it. */
  leaseMs?: number;
  /** Fallback polling when no notification arrives (other processes, missed NOTIFYs). */
  pollMs?: number;
  retry?: Partial<RetryPolicy>;
  maxOutputBytes?: number;
  maxStepsPerRun?: number;
  /** How long `stop()` waits for running steps to finish; runs still in a step then resume elsewhere after their lease. */
  drainMs?: number;
  clock?: Clock;
  logger?: ExecutorLogger;
  hooks?: ExecutorHooks;
  validateEvents?: (events: OutgoingEvent[]) => Promise<void>;
  workerId?: string;
  /**
   * Server-side prepared statements (about a third more throughput). Unset, DATABASE_PREPARE
   * decides, as for the app's pools (db/prepare-mode.ts): on, except for what looks like a
   * transaction-mode pooler (port 6543, or `pgbouncer=true`), which cannot keep them.
   */
  prepare?: boolean;
  /**
   * `false` turns off synchronous commit for the executor's own writes (runs, steps, events it
   * fans out): steps save in about half the time, and a crash of the app still loses nothing,
   * but a crash of PostgreSQL itself may forget the last fraction of a second of progress, so
   * those steps run again (safe for idempotent steps, which DESIGN.md §6 requires). Default true.
   */
  durableCommits?: boolean;
  /**
   * Claims and executes only these functions' runs (by id; a function's failure handler comes
   * with it), and ticks no cron: for a command-line process following its own work. Events are
   * still fanned out to every function of `functions`, so no function misses an event this
   * executor happened to dispatch; their runs wait for an executor that runs them.
   */
  runOnly?: readonly string[];
};

/**
 * The embedded default for Inngest (DESIGN.md §4): a loop that fans out events, claims due
 * runs with FOR UPDATE SKIP LOCKED, executes them, and sleeps until the next run is due or a
 * NOTIFY says there is new work. Any number of processes may run one against the same database.
 */
export class LocalExecutor {
  readonly owner: string;
  private readonly sql: Sql;
  private readonly registry: Registry;
  private readonly env: ExecutionEnv;
  private readonly scope: DispatchScope;
  private readonly active = new Map<string, Promise<void>>();
  private readonly crons: CronTicks | null;
  /** The functions whose runs this executor claims: every one, or `runOnly`'s. */
  private readonly runnable: string[];
  /** Whether any function has a concurrency limit or a throttle (those runs are claimed by claimLimitedRuns). */
  private readonly hasLimits: boolean;
  private readonly throttles: ReadonlyMap<string, Throttle>;
  /** Where the next claim of flow-controlled runs goes on looking through their keys. */
  private readonly flowCursor: FlowCursor = { queued: null, resumable: null, throttle: null };
  private readonly options: Required<
    Omit<LocalExecutorOptions, "retry" | "hooks" | "validateEvents" | "workerId" | "prepare" | "durableCommits" | "runOnly">
  > & { retry: RetryPolicy };
  private stopping = false;
  private cycling = false;
  private again = false;
  private queued = false;
  private eventsDirty = true;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private heartbeat: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(options: LocalExecutorOptions) {
    this.registry = buildRegistry(options.functions);
    this.runnable = options.runOnly ? runnableIds(this.registry, options.runOnly) : [...this.registry.functions.keys()];
    this.crons = options.runOnly ? null : new CronTicks(this.registry);
    const runnable = this.runnable.map((id) => this.registry.functions.get(id)!);
    this.hasLimits = runnable.some((f) => f.concurrency || f.throttle);
    this.throttles = new Map(runnable.flatMap((f) => (f.throttle ? [[f.id, f.throttle] as const] : [])));
    this.options = {
      databaseUrl: options.databaseUrl,
      functions: options.functions,
      concurrency: options.concurrency ?? EXECUTOR_DEFAULTS.concurrency,
      poolSize: options.poolSize ?? EXECUTOR_DEFAULTS.poolSize,
      leaseMs: options.leaseMs ?? EXECUTOR_DEFAULTS.leaseMs,
      pollMs: options.pollMs ?? EXECUTOR_DEFAULTS.pollMs,
      retry: { ...EXECUTOR_DEFAULTS.retry, ...options.retry },
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      maxStepsPerRun: options.maxStepsPerRun ?? EXECUTOR_DEFAULTS.maxStepsPerRun,
      drainMs: options.drainMs ?? EXECUTOR_DEFAULTS.drainMs,
      clock: options.clock ?? systemClock,
      logger: options.logger ?? consoleLogger,
    };
    this.owner = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.sql = openPostgres(options.databaseUrl, {
      max: this.options.poolSize,
      onnotice: () => {},
      prepare: options.prepare ?? usePreparedStatements(options.databaseUrl),
      connection: {
        application_name: "lip-job-executor",
        ...(options.durableCommits === false ? { synchronous_commit: "off" } : {}),
      },
    });
    const names = new Set<string>(this.registry.byEvent.keys());
    for (const name of this.registry.cancelByEvent.keys()) names.add(name);
    if (this.registry.crons.length > 0) names.add("inngest/scheduled.timer");
    if ([...this.registry.functions.values()].some((f) => f.kind === "failure")) names.add("inngest/function.failed");
    this.scope = { registry: this.registry, eventNames: [...names], functionIds: [...this.registry.functions.keys()] };
    this.env = {
      sql: this.sql,
      writes: new WriteQueue(this.sql),
      owner: this.owner,
      clock: this.options.clock,
      registry: this.registry,
      logger: this.options.logger,
      hooks: options.hooks ?? {},
      retry: this.options.retry,
      maxOutputBytes: this.options.maxOutputBytes,
      maxStepsPerRun: this.options.maxStepsPerRun,
      validateEvents: options.validateEvents ?? (async () => {}),
      isStopping: () => this.stopping,
      onEventsSent: () => this.wake(true),
    };
  }

  /** The functions whose runs it executes. */
  get functionIds(): string[] {
    return this.runnable;
  }

  async start(): Promise<void> {
    // Before any run of these functions exists, so whichever executor fans out a cancelling event knows their rules.
    await publishCancelRules(this.sql, this.registry);
    const listener = await this.sql.listen(JOBS_CHANNEL, (payload) => this.wake(payload === "event"));
    this.unlisten = () => listener.unlisten();
    this.crons?.start(this.options.clock.now());
    const beat = Math.max(50, Math.floor(this.options.leaseMs / 3));
    this.heartbeat = setInterval(() => void this.renew(), beat);
    this.wake(true);
  }

  /** Looks for work now; `events` also fans out new events. Safe to call any time. */
  wake(events = false): void {
    if (events) this.eventsDirty = true;
    if (this.stopping) return;
    if (this.cycling) {
      this.again = true;
      return;
    }
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      void this.cycle();
    });
  }

  /** Runs executing right now in this process. */
  get activeRuns(): number {
    return this.active.size;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    await this.unlisten?.().catch(() => {});
    // Runs reaching a step boundary now let go at once (due immediately, for another process).
    // A step still running after drainMs keeps its lease: handing it back would let another
    // executor start the same step while this one may still be running it.
    const drained = Promise.allSettled([...this.active.values()]);
    const timeout = new Promise((resolve) => setTimeout(resolve, this.options.drainMs).unref());
    await Promise.race([drained, timeout]);
    // What its last writes changed, for open pages, before its connections close.
    await sqlLiveNotices(this.sql).flush();
    await this.sql.end({ timeout: 5 });
  }

  private async cycle(): Promise<void> {
    this.cycling = true;
    let exhausted = false;
    try {
      do {
        this.again = false;
        if (this.crons && (await this.crons.fire(this.sql, this.options.clock.now()))) this.eventsDirty = true;
        if (this.eventsDirty) {
          this.eventsDirty = false;
          await dispatchPending(this.sql, this.scope, {
            clock: this.options.clock,
            batchSize: EXECUTOR_DEFAULTS.dispatchBatch,
            stopping: () => this.stopping,
          });
        }
        exhausted = await this.claim();
      } while (this.again && !this.stopping);
    } catch (error) {
      if (!this.stopping) this.options.logger.error("The job executor loop failed; retrying shortly", { error: String(error) });
      exhausted = true;
    } finally {
      this.cycling = false;
    }
    if (!this.stopping) await this.arm(exhausted);
  }

  /** Claims as many due runs as there are free slots; true when fewer were due. */
  private async claim(): Promise<boolean> {
    const free = this.options.concurrency - this.active.size;
    // While busy, claim a handful at a time rather than one statement per finished run.
    if (free <= 0 || (this.active.size > 0 && free < Math.ceil(this.options.concurrency / 4))) return false;
    const now = this.options.clock.now();
    const options = {
      owner: this.owner,
      now: new Date(now),
      leaseUntil: new Date(now + this.options.leaseMs),
      functionIds: this.runnable,
      limit: free,
      exclude: [...this.active.keys()],
      throttles: this.throttles,
      cursor: this.flowCursor,
    };
    const limited = this.hasLimits ? await claimLimitedRuns(this.sql, options) : [];
    const runs = [...limited, ...(await claimRuns(this.sql, { ...options, limit: free - limited.length }))];
    for (const run of runs) this.execute(run);
    return runs.length < free;
  }

  private execute(run: ClaimedRun): void {
    const fn = this.registry.functions.get(run.functionId);
    if (!fn) return;
    const work = new RunExecution(this.env, run, fn)
      .execute()
      .catch((error: unknown) => this.options.logger.error(`Run ${run.id} failed in the executor`, { error: String(error) }))
      .finally(() => {
        this.active.delete(run.id);
        this.wake();
      });
    this.active.set(run.id, work);
  }

  /** Sleeps until the next due run, cron tick or poll, whichever is first. */
  private async arm(exhausted: boolean): Promise<void> {
    const now = this.options.clock.now();
    let at = now + this.options.pollMs;
    if (this.crons) at = Math.min(at, this.crons.nextAt());
    if (exhausted) {
      const due = await nextDueAt(this.sql, this.runnable, new Date(now)).catch(() => null);
      if (due) at = Math.min(at, due.getTime());
    }
    if (this.timer && this.timerAt <= at && this.timerAt > now) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.wake(true);
      },
      Math.max(0, at - now),
    );
  }

  private async renew(): Promise<void> {
    if (this.active.size === 0) return;
    const until = new Date(this.options.clock.now() + this.options.leaseMs);
    await renewLeases(this.sql, this.owner, [...this.active.keys()], until).catch((error: unknown) =>
      this.options.logger.warn("Could not renew job leases", { error: String(error) }),
    );
  }
}

/** `runOnly`'s functions with their failure handlers; an id the registry does not hold is an error at start-up. */
function runnableIds(registry: Registry, runOnly: readonly string[]): string[] {
  const unknown = runOnly.filter((id) => !registry.functions.has(id));
  if (unknown.length > 0) throw new Error(`runOnly names functions that are not registered: ${unknown.join(", ")}`);
  return runOnly.flatMap((id) => {
    const failure = registry.functions.get(id)!.failureFunctionId;
    return failure ? [id, failure] : [id];
  });
}
