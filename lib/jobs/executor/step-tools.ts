import { randomUUID } from "node:crypto";
import { containmentFor, matchToExpression, parseExpression } from "./expressions";
import { never, PAUSED, RunFatalError, unsupportedProxy, type Tracked } from "./primitives";
import type { RunExecution, StartedStep } from "./run-execution";
import { storeValue, toJobError } from "./serialize";
import {
  LeaseLostError,
  resolveWaitTimeout,
  saveFailedStep,
  saveSendEventStep,
  type NewEvent,
  type PendingStep,
  type StepResult,
} from "./store";
import { deadlineMs, durationMs, instantMs } from "./time";
import type { OutgoingEvent } from "./types";
import { workspaceOf } from "../workspace-of";

/**
 * The `step` object a handler receives from the local executor: the tools the product uses,
 * with Inngest's semantics. Each returns a promise that resolves from memoized state, runs
 * and saves new work, or never settles when the run must let go (sleep, wait, retry).
 */
/** The tools the local executor rejects: stateless, so made once rather than for every run. */
const UNSUPPORTED = {
  invoke: unsupportedProxy("step.invoke"),
  ai: unsupportedProxy("step.ai"),
  fetch: unsupportedProxy("step.fetch"),
  waitForSignal: unsupportedProxy("step.waitForSignal"),
  sendSignal: unsupportedProxy("step.sendSignal"),
  realtime: unsupportedProxy("step.realtime"),
};

export function createStepTools(x: RunExecution) {
  return {
    run: (idOrOptions: unknown, callback: (...args: unknown[]) => unknown, ...input: unknown[]) =>
      handled(runStep(x, idOrOptions, callback, input)),
    sleep: (idOrOptions: unknown, duration: unknown) =>
      handled(sleepStep(x, idOrOptions, () => x.now() + durationMs(duration, "sleep duration"))),
    sleepUntil: (idOrOptions: unknown, time: unknown) => handled(sleepStep(x, idOrOptions, () => instantMs(time, "sleepUntil"))),
    waitForEvent: (idOrOptions: unknown, options: WaitOptions) => handled(waitStep(x, idOrOptions, options)),
    sendEvent: (idOrOptions: unknown, payload: unknown) => handled(sendStep(x, idOrOptions, payload)),
    ...UNSUPPORTED,
  };
}

/** A step the handler never awaits must not crash the process with an unhandled rejection. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

function stepResult(step: StartedStep, op: StepResult["op"], attempts: number, startedAt: number, endedAt: number): StepResult {
  return { key: step.key, stepId: step.id, name: step.name, op, attempts, startedAt: new Date(startedAt), endedAt: new Date(endedAt) };
}

/** The test hooks around a step's save; called (and awaited) only when set: the hot path skips two empty awaits. */
function hookInfo(x: RunExecution, step: StartedStep, op: string) {
  return { runId: x.run.id, functionId: x.fn.id, stepId: step.id, op };
}

async function runStep(
  x: RunExecution,
  idOrOptions: unknown,
  callback: (...args: unknown[]) => unknown,
  input: unknown[],
): Promise<unknown> {
  const step = x.beginStep(idOrOptions);
  if (!step) return never();
  if (step.row?.status === "completed") return step.row.output;
  if (step.row?.status === "failed") throw x.stepError(step.id, step.row.error ?? { name: "Error", message: "The step failed" });
  const attempt = step.row?.status === "retrying" ? step.row.attempts : 0;
  return x.track(
    (async (): Promise<Tracked> => {
      const startedAt = x.now();
      let stored: { json: string; value: unknown };
      try {
        stored = storeValue(await callback(...input), `The step "${step.id}"`, x.env.maxOutputBytes);
      } catch (error) {
        return onStepFailure(x, step, error, attempt, startedAt);
      }
      try {
        if (x.env.hooks.beforeStepSaved) await x.env.hooks.beforeStepSaved(hookInfo(x, step, "run"));
        await x.env.writes.saveCompletedStep(x.lease, stepResult(step, "run", attempt + 1, startedAt, x.now()), stored.json);
        if (x.env.hooks.afterStepSaved) await x.env.hooks.afterStepSaved(hookInfo(x, step, "run"));
      } catch (error) {
        if (error instanceof LeaseLostError) return x.leaseLost();
        throw error;
      }
      return { value: stored.value };
    })(),
  );
}

async function onStepFailure(x: RunExecution, step: StartedStep, error: unknown, attempt: number, startedAt: number): Promise<Tracked> {
  const jobError = toJobError(error);
  const now = x.now();
  if (x.isFinal(error, attempt)) {
    try {
      await saveFailedStep(x.env.sql, x.lease, stepResult(step, "run", attempt + 1, startedAt, now), jobError);
    } catch (saveError) {
      if (saveError instanceof LeaseLostError) return x.leaseLost();
      throw saveError;
    }
    throw x.stepError(step.id, jobError);
  }
  x.pauses.push({
    key: step.key,
    stepId: step.id,
    name: step.name,
    op: "run",
    status: "retrying",
    attempts: attempt + 1,
    error: jobError,
    attemptErrors: [{ attempt, at: new Date(now).toISOString(), error: jobError }],
    startedAt: new Date(startedAt),
  });
  x.scheduleRetry(now + x.retryDelay(error, attempt));
  return PAUSED;
}

async function sleepStep(x: RunExecution, idOrOptions: unknown, wakeAt: () => number): Promise<void> {
  const step = x.beginStep(idOrOptions);
  if (!step) return never();
  if (step.row?.status === "completed") return undefined;
  const at = step.row?.wakeAt?.getTime() ?? wakeAt();
  if (at <= x.now() && !step.row) return undefined;
  if (at <= x.now()) {
    x.dueSleeps.push(step.key);
    return undefined;
  }
  return x.pause({
    key: step.key,
    stepId: step.id,
    name: step.name,
    op: "sleep",
    status: "sleeping",
    attempts: 1,
    wakeAt: new Date(at),
    startedAt: new Date(x.now()),
  });
}

type WaitOptions = { event: string | { name: string }; timeout: unknown; if?: string; match?: string };

async function waitStep(x: RunExecution, idOrOptions: unknown, options: WaitOptions): Promise<unknown> {
  const step = x.beginStep(idOrOptions);
  if (!step) return never();
  if (step.row?.status === "completed") return step.row.output;
  const now = x.now();
  if (step.row?.status === "waiting") {
    if ((step.row.wakeAt?.getTime() ?? 0) <= now) return resolveWaitTimeout(x.env.sql, x.run.id, step.key, new Date(now));
    return x.pause(pendingWait(step, now, { wakeAt: step.row.wakeAt ?? undefined }));
  }
  const eventName = typeof options.event === "string" ? options.event : options.event?.name;
  if (typeof eventName !== "string") throw new RunFatalError(`step.waitForEvent("${step.id}") needs an event name`);
  const expression = options.match ? matchToExpression(options.match) : options.if;
  const trigger = { name: x.run.event.name, data: x.run.event.data, id: x.run.event.id, ts: x.run.event.ts };
  const waitMatch = expression ? containmentFor(parseExpression(expression), { side: "event", event: trigger }, expression) : {};
  return x.pause(
    pendingWait(step, now, { wakeAt: new Date(deadlineMs(options.timeout, now, "waitForEvent")), waitEvent: eventName, waitMatch }),
  );
}

/** A wait the run lets go for: a new one (with its event and match), or one already recorded, resumed before its timeout. */
function pendingWait(step: StartedStep, now: number, wait: Pick<PendingStep, "wakeAt" | "waitEvent" | "waitMatch">): PendingStep {
  return { key: step.key, stepId: step.id, name: step.name, op: "wait", status: "waiting", attempts: 1, startedAt: new Date(now), ...wait };
}

async function sendStep(x: RunExecution, idOrOptions: unknown, payload: unknown): Promise<unknown> {
  const step = x.beginStep(idOrOptions);
  if (!step) return never();
  if (step.row?.status === "completed") return step.row.output;
  return x.track(
    (async (): Promise<Tracked> => {
      const startedAt = x.now();
      const outgoing = (Array.isArray(payload) ? payload : [payload]).map(toOutgoing);
      const events = outgoing.map((e): NewEvent => ({
        id: randomUUID(),
        name: e.name,
        data: e.data,
        workspaceId: workspaceOf(e.data) ?? x.run.workspaceId,
        idempotencyKey: e.id ?? null,
        ts: new Date(e.ts ?? startedAt),
      }));
      let json: string;
      try {
        await x.env.validateEvents(outgoing);
        json = storeValue({ ids: events.map((e) => e.id) }, `The step "${step.id}"`, x.env.maxOutputBytes).json;
        storeValue(outgoing, `The events of step "${step.id}"`, x.env.maxOutputBytes);
      } catch (error) {
        return onStepFailure(x, step, new RunFatalError((error as Error).message), 0, startedAt);
      }
      try {
        if (x.env.hooks.beforeStepSaved) await x.env.hooks.beforeStepSaved(hookInfo(x, step, "send"));
        await saveSendEventStep(x.env.sql, x.lease, stepResult(step, "send", 1, startedAt, x.now()), events, json);
        x.env.onEventsSent();
        if (x.env.hooks.afterStepSaved) await x.env.hooks.afterStepSaved(hookInfo(x, step, "send"));
      } catch (error) {
        if (error instanceof LeaseLostError) return x.leaseLost();
        throw error;
      }
      return { value: JSON.parse(json) as unknown };
    })(),
  );
}

function toOutgoing(payload: unknown): OutgoingEvent {
  const p = (payload ?? {}) as { name?: unknown; data?: unknown; id?: unknown; ts?: unknown };
  if (typeof p.name !== "string" || p.name.length === 0) throw new RunFatalError("step.sendEvent needs events with a name");
  const data = p.data === undefined ? {} : p.data;
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new RunFatalError(`The event "${p.name}" needs an object as data`);
  return {
    name: p.name,
    data: data as Record<string, unknown>,
    id: typeof p.id === "string" ? p.id : undefined,
    ts: typeof p.ts === "number" ? p.ts : undefined,
  };
}
