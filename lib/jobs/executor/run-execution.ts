import { randomUUID } from "node:crypto";
import { StepError } from "inngest";
import type { JobError } from "@/db/schema";
import { retryAfterMs, retryDelayMs } from "./backoff";
import { payloadOf } from "./dispatcher";
import { UnsupportedExpressionError } from "./expressions";
import type { RegisteredFunction } from "./registry";
import { storeValue, toJobError, UnstorableValueError } from "./serialize";
import { createStepTools } from "./step-tools";
import { StepIdAllocator, type AllocatedStepId } from "./step-ids";
import { abandonRun, closeSleeps, failRun, LeaseLostError, type ClaimedRun, type Lease, type PendingStep, type StepRow } from "./store";
import { never, PAUSED, RunFatalError, scopedLogger, unsupportedProxy, type Tracked } from "./primitives";
import type { ExecutionEnv } from "./types";

const UNSUPPORTED_GROUP = unsupportedProxy("group");

export type StartedStep = AllocatedStepId & { name: string | null; row: StepRow | undefined };
type Outcome = { kind: "returned"; value: unknown } | { kind: "threw"; error: unknown } | { kind: "paused" };

/**
 * One execution of a claimed run: calls the handler with step tools that replay memoized
 * results, run new steps and save each result before the handler goes on, and collect the
 * sleeps, waits and retries that make the run let go until it is due again.
 */
export class RunExecution {
  readonly lease: Lease;
  readonly ids = new StepIdAllocator();
  readonly pauses: PendingStep[] = [];
  readonly stepErrors = new WeakSet<object>();
  /** Sleeps that came due while the run was held: closed when the execution ends. */
  readonly dueSleeps: string[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly interrupted: Promise<void>;
  private resolveInterrupt: () => void = () => {};
  retryAt: number | undefined;
  fatal: Error | undefined;
  lost = false;
  yielded = false;

  constructor(
    readonly env: ExecutionEnv,
    readonly run: ClaimedRun,
    readonly fn: RegisteredFunction,
  ) {
    this.lease = { runId: run.id, owner: env.owner, claims: run.claims };
    this.interrupted = new Promise((resolve) => (this.resolveInterrupt = resolve));
  }

  now(): number {
    return this.env.clock.now();
  }

  async execute(): Promise<void> {
    try {
      const invalid = await this.invalidTrigger();
      if (invalid) return await this.fail(new RunFatalError(invalid));
      const handled = Promise.resolve()
        .then(() => this.fn.handler(this.context()))
        .then(
          (value): Outcome => ({ kind: "returned", value }),
          (error: unknown): Outcome => ({ kind: "threw", error }),
        );
      const outcome = await Promise.race([handled, this.interrupted.then((): Outcome => ({ kind: "paused" }))]);
      await this.settle();
      if (this.lost) return;
      if (this.dueSleeps.length > 0) await closeSleeps(this.env.sql, this.run.id, this.dueSleeps);
      if (this.fatal) return await this.fail(this.fatal);
      if (outcome.kind === "returned") return await this.complete(outcome.value);
      if (outcome.kind === "threw") return await this.onHandlerError(outcome.error);
      return await this.release();
    } catch (error) {
      if (error instanceof LeaseLostError) return this.env.logger.debug(error.message);
      this.env.logger.error(`Run ${this.run.id} of "${this.fn.id}" hit an executor error; it will be retried`, {
        error: toJobError(error),
      });
      await abandonRun(this.env.sql, this.lease, new Date(this.now() + 1000)).catch(() => {});
    }
  }

  private context(): Record<string, unknown> {
    const event = payloadOf({ ...this.run.event, ts: new Date(this.run.event.ts) });
    const retrying = [...this.run.steps.values()].filter((s) => s.status === "retrying").map((s) => s.attempts);
    const ctx: Record<string, unknown> = {
      event,
      events: [event],
      runId: this.run.id,
      attempt: Math.max(this.run.attempt, ...retrying),
      maxAttempts: this.fn.retries + 1,
      step: createStepTools(this),
      group: UNSUPPORTED_GROUP,
      logger: scopedLogger(this.env.logger, this.fn.id, this.run.id),
    };
    if (this.fn.kind === "failure") {
      const failed = (event.data as { error?: JobError }).error;
      ctx.error = Object.assign(new Error(failed?.message ?? "The function failed"), { name: failed?.name ?? "Error" });
    }
    return ctx;
  }

  private async invalidTrigger(): Promise<string | undefined> {
    const trigger = this.fn.triggers.find((t) => t.event === this.run.event.name);
    if (!trigger?.schema) return undefined;
    const result = await trigger.schema["~standard"].validate(this.run.event.data);
    if (!result.issues) return undefined;
    const fields = result.issues.map(
      (i) => `${(i.path ?? []).map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".") || "data"}: ${i.message}`,
    );
    return `The event "${this.run.event.name}" does not match its schema (${fields.join("; ")})`;
  }

  /** Allocates the step's id (Inngest's rule for repeats) and finds its memoized state. */
  beginStep(idOrOptions: unknown): StartedStep | undefined {
    if (this.fatal || this.lost || this.yielded) return undefined;
    if (this.env.isStopping()) {
      this.yielded = true;
      this.maybeInterrupt();
      return undefined;
    }
    const options = typeof idOrOptions === "string" ? { id: idOrOptions } : (idOrOptions as { id?: unknown; name?: unknown });
    if (typeof options?.id !== "string" || options.id.length === 0) throw new Error('A step needs an id: step.run("id", fn)');
    const allocated = this.ids.allocate(options.id);
    const max = this.env.maxStepsPerRun;
    if (this.ids.usesOf(options.id) > max) {
      return this.stopWith(
        new RunFatalError(
          `The step id "${options.id}" was used more than ${max} times in one run: a loop around a step with a fixed id? Give each iteration its own id, or move the loop inside one step.`,
        ),
      );
    }
    if (this.ids.size > max) return this.stopWith(new RunFatalError(`The run reached ${max} steps, the most one run may have.`));
    const name = typeof options.name === "string" ? options.name : null;
    // Not `{ ...allocated, name, row }`: see withLease in write-queue.ts for why this hot path avoids spreads.
    return Object.assign(allocated, { name, row: this.run.steps.get(allocated.key) });
  }

  private stopWith(error: Error): undefined {
    this.fatal ??= error;
    this.maybeInterrupt();
    return undefined;
  }

  /**
   * Runs a step's work so the execution waits for it before letting go of the run. The work
   * settles either way; the handler's promise never does when the run must pause.
   */
  track(work: Promise<Tracked>): Promise<unknown> {
    this.inFlight.add(work);
    work.then(
      () => this.finishTracked(work),
      () => this.finishTracked(work),
    );
    return work.then((result) => (result === PAUSED ? never() : result.value));
  }

  private finishTracked(work: Promise<unknown>): void {
    this.inFlight.delete(work);
    this.maybeInterrupt();
  }

  pause(step: PendingStep | undefined): Promise<never> {
    if (step) this.pauses.push(step);
    this.maybeInterrupt();
    return never();
  }

  scheduleRetry(at: number): void {
    this.retryAt = Math.min(this.retryAt ?? at, at);
    this.maybeInterrupt();
  }

  leaseLost(): typeof PAUSED {
    this.lost = true;
    this.maybeInterrupt();
    return PAUSED;
  }

  /** Lets go once nothing is running, a tick later so parallel steps are found first. */
  maybeInterrupt(): void {
    const stopping = this.pauses.length > 0 || this.retryAt !== undefined || this.fatal || this.lost || this.yielded;
    if (!stopping || this.inFlight.size > 0) return;
    setImmediate(() => {
      if (this.inFlight.size === 0) this.resolveInterrupt();
    });
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** A step's final failure: recorded, then thrown into the handler as Inngest's StepError. */
  stepError(stepId: string, error: JobError): StepError {
    const stepError = new StepError(stepId, { name: error.name, message: error.message, stack: error.stack });
    this.stepErrors.add(stepError);
    return stepError;
  }

  isFinal(error: unknown, attempt: number): boolean {
    const name = (error as { name?: unknown } | null)?.name;
    return (
      attempt >= this.fn.retries ||
      name === "NonRetriableError" ||
      error instanceof UnstorableValueError ||
      error instanceof UnsupportedExpressionError ||
      error instanceof RunFatalError
    );
  }

  retryDelay(error: unknown, attempt: number): number {
    const retryAfter =
      (error as { name?: unknown; retryAfter?: unknown } | null)?.name === "RetryAfterError"
        ? retryAfterMs((error as { retryAfter?: unknown }).retryAfter, this.now())
        : undefined;
    return retryAfter ?? retryDelayMs(attempt, this.env.retry);
  }

  private async complete(value: unknown): Promise<void> {
    let json: string;
    try {
      json = storeValue(value, `The function "${this.fn.id}"`, this.env.maxOutputBytes).json;
    } catch (error) {
      return this.fail(error);
    }
    await this.env.writes.completeRun(this.lease, json, new Date(this.now()));
  }

  private async onHandlerError(error: unknown): Promise<void> {
    const final = this.stepErrors.has(error as object) || this.isFinal(error, this.run.attempt);
    if (final) return this.fail(error);
    const at = this.now() + this.retryDelay(error, this.run.attempt);
    await this.write({ status: "running", nextAt: at, attempt: this.run.attempt + 1, error: toJobError(error) });
  }

  private async release(): Promise<void> {
    const waits = this.pauses.filter((p) => p.status === "waiting");
    const status = waits.length > 0 ? "waiting" : this.pauses.some((p) => p.status === "sleeping") ? "sleeping" : "running";
    const times = [
      ...this.pauses.filter((p) => p.status !== "retrying").map((p) => p.wakeAt?.getTime() ?? Infinity),
      this.retryAt ?? Infinity,
    ];
    const earliest = Math.min(...times);
    const nextAt = this.yielded || !Number.isFinite(earliest) ? this.now() : earliest;
    const retried = this.pauses.find((p) => p.status === "retrying");
    await this.write({ status, nextAt, attempt: this.run.attempt, error: retried?.error ?? null });
  }

  private async write(r: { status: "running" | "sleeping" | "waiting"; nextAt: number; attempt: number; error: JobError | null }) {
    const steps = this.pauses.filter((p) => p.status === "retrying" || !this.run.steps.has(p.key));
    const waitKeys = this.pauses.filter((p) => p.status === "waiting").map((p) => p.key);
    await this.env.writes.releaseRun(this.lease, {
      status: r.status,
      attempt: r.attempt,
      error: r.error,
      nextAt: new Date(r.nextAt),
      now: new Date(this.now()),
      steps,
      waitKeys,
    });
  }

  private async fail(error: unknown): Promise<void> {
    const jobError = toJobError(error);
    const now = new Date(this.now());
    const failureId = this.fn.kind === "main" ? this.fn.failureFunctionId : undefined;
    const failure = failureId
      ? {
          functionId: failureId,
          event: {
            id: randomUUID(),
            name: "inngest/function.failed",
            data: {
              function_id: this.fn.id,
              run_id: this.run.id,
              error: jobError,
              event: payloadOf({ ...this.run.event, ts: new Date(this.run.event.ts) }),
            },
            workspaceId: this.run.workspaceId,
            idempotencyKey: null,
            ts: now,
          },
        }
      : undefined;
    await failRun(this.env.sql, this.lease, jobError, now, failure);
    if (failure) this.env.onEventsSent();
  }
}
