import { sql } from "drizzle-orm";
import { NonRetriableError } from "inngest";
import { afterEach, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { inngest, type JobContext } from "@/inngest/client";
import { hashStepId } from "./step-ids";
import type { LocalFunction } from "./registry";
import {
  runReaching,
  runsOf,
  runsOfFunction,
  send,
  startTestExecutor,
  stepsOf,
  unique,
  waitFor,
  type TestExecutor,
} from "../testing/harness";

/**
 * The executor's step semantics against the real PostgreSQL, each case with its own function
 * ids and event names (other files share the database). Time is controlled with the
 * executor's clock, so an hour-long sleep takes milliseconds.
 */

type Ctx<D = Record<string, unknown>> = JobContext<{ name: string; data: D }>;

const executors: TestExecutor[] = [];
afterEach(async () => {
  await Promise.all(executors.splice(0).map((e) => e.stop()));
});

async function start(functions: LocalFunction[], options: Parameters<typeof startTestExecutor>[1] = {}) {
  const executor = await startTestExecutor(functions, options);
  executors.push(executor);
  return executor;
}

function define<D>(options: Record<string, unknown>, handler: (ctx: Ctx<D>) => unknown): LocalFunction & { event: string; id: string } {
  const id = unique("fn");
  const event = unique("test/thing.happened");
  const fn = inngest.createFunction({ id, triggers: [{ event }], ...options } as { id: string }, handler);
  return { fn, handler, event, id };
}

describe("memoization", () => {
  it("never runs a completed step again after a restart, and resumes where the run was", async () => {
    const calls = { load: 0, send: 0 };
    const f = define<{ n: number }>({}, async ({ event, step }) => {
      const loaded = await step.run("load", () => ++calls.load && event.data.n);
      // The first time, the process "dies" during this step: it never returns.
      const sent = await step.run("send", () => (calls.send++ === 0 ? new Promise<number>(() => {}) : loaded * 10));
      return { loaded, sent };
    });
    const first = await start([f], { drainMs: 50, leaseMs: 300 });
    const eventId = await send(f.event, { n: 7 });
    await waitFor(async () => calls.send === 1, { what: "the second step to start" });
    await first.stop();

    // The step that never returned keeps its lease until it lapses; then the run resumes here.
    await start([f]);
    const run = await runReaching(eventId, ["completed"]);
    expect(run.output).toEqual({ loaded: 7, sent: 70 });
    expect(calls).toEqual({ load: 1, send: 2 });
  });

  it("gives repeated step ids Inngest's :n suffixes and keys them by sha1", async () => {
    const f = define({}, async ({ step }) => {
      const items: number[] = [];
      for (const n of [1, 2, 3]) items.push(await step.run("item", () => n));
      const [a, b] = await Promise.all([step.run("left", () => "l"), step.run("right", () => "r")]);
      return { items, a, b };
    });
    await start([f]);
    const run = await runReaching(await send(f.event, {}), ["completed"]);
    expect(run.output).toEqual({ items: [1, 2, 3], a: "l", b: "r" });
    const steps = await stepsOf(run.id);
    expect(steps.map((s) => s.step_id).slice(0, 3)).toEqual(["item", "item:1", "item:2"]);
    expect(steps.map((s) => s.step_id).sort()).toEqual(["item", "item:1", "item:2", "left", "right"]);
    for (const s of steps) expect(s.step_key).toBe(hashStepId(s.step_id));
  });
});

describe("retries", () => {
  it("retries a failing step with exponential back-off, then succeeds", async () => {
    const seen: { attempt: number; at: number }[] = [];
    const f = define({ retries: 3 }, async ({ step, attempt }) =>
      step.run("flaky", () => {
        seen.push({ attempt, at: Date.now() });
        if (seen.length < 3) throw new Error(`boom ${seen.length}`);
        return "ok";
      }),
    );
    await start([f], { retry: { baseMs: 100, maxMs: 10_000 } });
    const run = await runReaching(await send(f.event, {}), ["completed", "failed"]);
    expect(run.status).toBe("completed");
    expect(seen.map((s) => s.attempt)).toEqual([0, 1, 2]);
    const [first, second, third] = seen.map((s) => s.at);
    // A retry never comes early: 100 ms, then 200 ms, each ± 20 % (a loaded machine may add to them).
    expect(second! - first!).toBeGreaterThanOrEqual(80);
    expect(third! - second!).toBeGreaterThanOrEqual(160);
    const [step] = await stepsOf(run.id);
    expect(step).toMatchObject({ step_id: "flaky", status: "completed", attempts: 3 });
    expect(step?.attempt_errors).toHaveLength(2);
  });

  it("honours the function's retries and fails the run with the step's error", async () => {
    let attempts = 0;
    const f = define({ retries: 1 }, async ({ step }) =>
      step.run("always-fails", () => {
        attempts++;
        throw new Error("the vendor is down");
      }),
    );
    await start([f]);
    const run = await runReaching(await send(f.event, {}), ["failed"]);
    expect(attempts).toBe(2);
    expect(run.error?.message).toBe("the vendor is down");
    expect((await stepsOf(run.id))[0]).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("fails at once on NonRetriableError", async () => {
    let attempts = 0;
    const f = define({ retries: 5 }, async ({ step }) =>
      step.run("validate", () => {
        attempts++;
        throw new NonRetriableError("the lead has no email");
      }),
    );
    await start([f]);
    const run = await runReaching(await send(f.event, {}), ["failed"]);
    expect(attempts).toBe(1);
    expect(run.error).toMatchObject({ message: "the lead has no email" });
  });

  it("retries the function body when it throws outside a step", async () => {
    let bodyRuns = 0;
    const f = define({ retries: 2 }, async ({ step }) => {
      const value = await step.run("once", () => "memoized");
      if (++bodyRuns < 2) throw new Error("transient");
      return value;
    });
    await start([f]);
    const run = await runReaching(await send(f.event, {}), ["completed", "failed"]);
    expect(run).toMatchObject({ status: "completed", output: "memoized", attempt: 1 });
  });
});

describe("sleep", () => {
  it("sleeps durably and wakes when the time comes", async () => {
    const f = define({}, async ({ step }) => {
      const before = await step.run("before", () => "a");
      await step.sleep("nap", "1h");
      const after = await step.run("after", () => "b");
      return before + after;
    });
    const executor = await start([f]);
    const eventId = await send(f.event, {});
    const sleeping = await runReaching(eventId, ["sleeping"]);
    expect((await stepsOf(sleeping.id)).map((s) => [s.step_id, s.status])).toEqual([
      ["before", "completed"],
      ["nap", "sleeping"],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await runsOf(eventId))[0]?.status).toBe("sleeping");
    executor.clock.advance(60 * 60_000);
    executor.wake();
    const run = await runReaching(eventId, ["completed"]);
    expect(run.output).toBe("ab");
    expect((await stepsOf(run.id)).find((s) => s.step_id === "nap")?.status).toBe("completed");
  });

  it("sleeps until a moment with sleepUntil", async () => {
    const f = define<{ at: string }>({}, async ({ event, step }) => {
      await step.sleepUntil("until", event.data.at);
      return "woke";
    });
    const executor = await start([f]);
    const eventId = await send(f.event, { at: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    await runReaching(eventId, ["sleeping"]);
    executor.clock.advance(3 * 86_400_000 + 1_000);
    executor.wake();
    expect((await runReaching(eventId, ["completed"])).output).toBe("woke");
  });
});

describe("waitForEvent", () => {
  const replyEvent = unique("test/reply.received");
  const f = define<{ leadId: string }>({}, async ({ step }) => {
    const reply = await step.waitForEvent("reply", { event: replyEvent, timeout: "2h", if: "async.data.leadId == event.data.leadId" });
    return reply ? { replied: (reply.data as { text: string }).text } : { replied: null };
  });

  it("resumes with the first matching event and ignores others", async () => {
    await start([f]);
    const eventId = await send(f.event, { leadId: "lead-1" });
    await runReaching(eventId, ["waiting"]);
    await send(replyEvent, { leadId: "lead-2", text: "not for you" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await runsOf(eventId))[0]?.status).toBe("waiting");
    await send(replyEvent, { leadId: "lead-1", text: "interested!" });
    expect((await runReaching(eventId, ["completed"])).output).toEqual({ replied: "interested!" });
  });

  it("returns null when the timeout passes", async () => {
    const executor = await start([f]);
    const eventId = await send(f.event, { leadId: "lead-3" });
    await runReaching(eventId, ["waiting"]);
    executor.clock.advance(2 * 60 * 60_000 + 1_000);
    executor.wake();
    expect((await runReaching(eventId, ["completed"])).output).toEqual({ replied: null });
  });

  it("goes back to waiting when a parallel sleep wakes the run first", async () => {
    const approved = unique("test/draft.approved");
    const g = define<{ draftId: string }>({}, async ({ step }) => {
      const [decision] = await Promise.all([
        step.waitForEvent("approval", { event: approved, timeout: "7d", match: "data.draftId" }),
        step.sleep("reminder-delay", "1h").then(() => step.run("remind", () => "reminded")),
      ]);
      return decision?.data ?? null;
    });
    const executor = await start([g]);
    const eventId = await send(g.event, { draftId: "d-1" });
    const waiting = await runReaching(eventId, ["waiting"]);
    executor.clock.advance(60 * 60_000 + 1_000);
    executor.wake();
    await waitFor(async () => (await stepsOf(waiting.id)).some((s) => s.step_id === "remind" && s.status === "completed"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [run] = await runsOf(eventId);
    expect(run?.status).toBe("waiting");
    const [row] = await serviceDb().execute<{ claims: number }>(sql`select claims from job_runs where id = ${waiting.id}`);
    expect(row?.claims).toBeLessThanOrEqual(3);
    await send(approved, { draftId: "d-1", by: "admin" });
    expect((await runReaching(eventId, ["completed"])).output).toEqual({ draftId: "d-1", by: "admin" });
  });

  it("matches with `match` on a field", async () => {
    const pause = unique("test/campaign.paused");
    const g = define<{ campaignId: string }>({}, async ({ step }) => {
      const got = await step.waitForEvent("paused", { event: pause, timeout: "1h", match: "data.campaignId" });
      return got?.data ?? null;
    });
    await start([g]);
    const eventId = await send(g.event, { campaignId: "c-9" });
    await runReaching(eventId, ["waiting"]);
    await send(pause, { campaignId: "c-9", by: "admin" });
    expect((await runReaching(eventId, ["completed"])).output).toEqual({ campaignId: "c-9", by: "admin" });
  });
});

describe("flow control", () => {
  it("cancels matching runs on a cancelOn event, and only those", async () => {
    const stop = unique("test/sequence.stopped");
    const f = define<{ campaignId: string }>({ cancelOn: [{ event: stop, match: "data.campaignId" }] }, async ({ step }) => {
      await step.sleep("wait-a-day", "1d");
      return "sent";
    });
    const executor = await start([f]);
    const a = await send(f.event, { campaignId: "A" });
    const b = await send(f.event, { campaignId: "B" });
    await runReaching(a, ["sleeping"]);
    await runReaching(b, ["sleeping"]);
    await send(stop, { campaignId: "A" });
    const cancelled = await runReaching(a, ["cancelled"]);
    expect(cancelled.error?.message).toContain(stop);
    executor.clock.advance(86_400_000 + 1_000);
    executor.wake();
    expect((await runReaching(b, ["completed"])).output).toBe("sent");
    expect((await runsOf(a))[0]?.status).toBe("cancelled");
  });

  it("keeps at most `limit` runs of a key executing, across two executors", async () => {
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const executions = new Map<string, number>();
    const f = define<{ accountId: string; n: number }>(
      { concurrency: { limit: 2, key: "event.data.accountId" } },
      async ({ event, step }) =>
        step.run("send", async () => {
          const key = event.data.accountId;
          const tag = `${key}-${event.data.n}`;
          executions.set(tag, (executions.get(tag) ?? 0) + 1);
          active.set(key, (active.get(key) ?? 0) + 1);
          peak.set(key, Math.max(peak.get(key) ?? 0, active.get(key)!));
          await new Promise((resolve) => setTimeout(resolve, 60));
          active.set(key, active.get(key)! - 1);
          return tag;
        }),
    );
    await start([f], { concurrency: 10 });
    await start([f], { concurrency: 10 });
    const ids = [];
    for (let n = 0; n < 6; n++) ids.push(await send(f.event, { accountId: "x", n }));
    for (let n = 0; n < 3; n++) ids.push(await send(f.event, { accountId: "y", n }));
    for (const id of ids) await runReaching(id, ["completed"]);
    expect(peak.get("x")).toBe(2);
    expect(peak.get("y")).toBeLessThanOrEqual(2);
    expect([...executions.values()].every((n) => n === 1)).toBe(true);
    expect(executions.size).toBe(9);
  });

  it("shares an account-scoped limit between the functions whose key has the same value, across two executors", async () => {
    // Two functions calling the same vendor account: one at a time between them, other accounts unaffected.
    const account = unique("account");
    const other = unique("account");
    let active = 0;
    let peak = 0;
    const otherStarted: number[] = [];
    const body =
      (name: string) =>
      async ({ event, step }: Ctx<{ accountId: string; n: number }>) =>
        step.run("call", async () => {
          if (event.data.accountId === other) {
            otherStarted.push(Date.now());
            return name;
          }
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 60));
          active--;
          return name;
        });
    const scope = { concurrency: { limit: 1, key: "event.data.accountId", scope: "account" } };
    const importer = define<{ accountId: string; n: number }>(scope, body("import"));
    const enricher = define<{ accountId: string; n: number }>(scope, body("enrich"));
    await start([importer, enricher], { concurrency: 10 });
    await start([importer, enricher], { concurrency: 10 });
    const ids = [];
    for (let n = 0; n < 3; n++) {
      ids.push(await send(importer.event, { accountId: account, n }));
      ids.push(await send(enricher.event, { accountId: account, n }));
    }
    ids.push(await send(importer.event, { accountId: other, n: 0 }), await send(enricher.event, { accountId: other, n: 0 }));
    for (const id of ids) await runReaching(id, ["completed"]);
    expect(peak).toBe(1);
    expect(otherStarted).toHaveLength(2);
  });

  it("throttles starts per key: limit + burst at once, then one per period / limit, in order, none dropped, across two executors", async () => {
    const started: string[] = [];
    const f = define<{ accountId: string; n: number }>(
      { throttle: { limit: 1, period: "10s", burst: 1, key: "event.data.accountId" } },
      async ({ event, step }) => step.run("send", () => started.push(`${event.data.accountId}${event.data.n}`)),
    );
    // Sent before the executors start, so they are fanned out together, in the order sent.
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push(await send(f.event, { accountId: "x", n }));
    for (let n = 0; n < 2; n++) ids.push(await send(f.event, { accountId: "y", n }));
    const [a, b] = await Promise.all([start([f], { concurrency: 10 }), start([f], { concurrency: 10 })]);
    const settled = async (count: number) => {
      await waitFor(async () => started.length >= count, { what: `${count} starts` });
      // Nothing more starts until the clock moves on.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return started.filter((s) => s.startsWith("x"));
    };
    // The first two start together (in either order); then one at a time, in order.
    expect((await settled(4)).sort()).toEqual(["x0", "x1"]);
    expect(started.filter((s) => s.startsWith("y")).sort()).toEqual(["y0", "y1"]);
    for (const next of ["x2", "x3", "x4"]) {
      for (const e of [a!, b!]) e.clock.advance(10_000);
      a!.wake();
      b!.wake();
      expect((await settled(started.length + 1)).at(-1)).toBe(next);
    }
    expect(started.filter((s) => s.startsWith("x"))).toHaveLength(5);
    for (const id of ids) await runReaching(id, ["completed"]);
    expect(started).toHaveLength(7);
  });

  it("takes a throttle's start only for a run its concurrency limit lets start", async () => {
    let release: () => void = () => {};
    const started: number[] = [];
    const f = define<{ n: number }>(
      { concurrency: { limit: 1, key: "event.data.mailbox" }, throttle: { limit: 2, period: "1m" } },
      async ({ event, step }) =>
        step.run("send", async () => {
          started.push(event.data.n);
          if (event.data.n === 0) await new Promise<void>((resolve) => (release = resolve));
          return event.data.n;
        }),
    );
    await start([f]);
    const ids = [];
    for (let n = 0; n < 3; n++) ids.push(await send(f.event, { mailbox: "m", n }));
    await waitFor(async () => started.length === 1, { what: "the first run" });
    // The second waits for the mailbox's slot, many claims long, without spending the throttle.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toEqual([0]);
    release();
    await runReaching(ids[1]!, ["completed"]);
    // Two starts spent: the third waits for the throttle, not for the clock to be moved.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toEqual([0, 1]);
    expect((await runsOf(ids[2]!))[0]?.status).toBe("queued");
  });

  it("starts a run of a free key at once, however many runs of a busy key are queued ahead of it", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const f = define<{ mailbox: string; n: number }>({ concurrency: { limit: 1, key: "event.data.mailbox" } }, async ({ event, step }) =>
      step.run("send", async () => {
        started.push(`${event.data.mailbox}${event.data.n}`);
        if (event.data.mailbox === "busy") await held;
        return event.data.n;
      }),
    );
    // Queued before the executor starts, in this order (one event after the other: the runs of
    // events sent together are ordered by event id): a hundred runs of the busy mailbox, then one of a free one.
    const ids: string[] = [];
    for (let n = 0; n < 100; n++) ids.push(await send(f.event, { mailbox: "busy", n }));
    ids.push(await send(f.event, { mailbox: "free", n: 0 }));
    await start([f], { concurrency: 4 });
    try {
      await runReaching(ids.at(-1)!, ["completed"]);
      expect(started).toEqual(["busy0", "free0"]);
    } finally {
      release();
    }
    await runReaching(ids[99]!, ["completed"], 20_000);
    expect(started.filter((s) => s.startsWith("busy"))).toEqual(Array.from({ length: 100 }, (_, n) => `busy${n}`));
  });

  it("throttles only the start of a run: a run already under way wakes up on time", async () => {
    const f = define<{ n: number }>({ throttle: { limit: 1, period: "7d" } }, async ({ event, step }) => {
      await step.run("first", () => event.data.n);
      await step.sleep("pause", "1m");
      return step.run("second", () => event.data.n * 10);
    });
    const executor = await start([f]);
    const first = await send(f.event, { n: 1 });
    const second = await send(f.event, { n: 2 });
    await runReaching(first, ["sleeping"]);
    executor.clock.advance(61_000);
    executor.wake();
    expect((await runReaching(first, ["completed"])).output).toBe(10);
    expect((await runsOf(second))[0]?.status).toBe("queued");
  });

  it("starts cron functions on their schedule, once per tick", async () => {
    const id = unique("cron");
    async function tick({ event, step }: JobContext<{ name: string; data: { cron: string } }>) {
      return step.run("note", () => ({ name: event.name, cron: event.data.cron }));
    }
    const fn = inngest.createFunction({ id, triggers: [{ cron: "30 9 * * *" }] }, tick);
    const executor = await start([{ fn, handler: tick }]);
    const now = executor.clock.now();
    const next930 = nextUtc(now, 9, 30);
    executor.clock.advance(next930 - now - 5_000);
    executor.wake();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await runsOfFunction(id)).toHaveLength(0);
    executor.clock.advance(6_000);
    executor.wake();
    const [run] = await waitFor(async () => {
      const runs = await runsOfFunction(id);
      return runs.length > 0 && runs.every((r) => r.status === "completed") ? runs : undefined;
    });
    expect(run?.output).toEqual({ name: "inngest/scheduled.timer", cron: "30 9 * * *" });
    expect(run?.workspace_id).toBeNull();
    executor.wake();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await runsOfFunction(id)).toHaveLength(1);
    executor.clock.advance(86_400_000);
    executor.wake();
    await waitFor(async () => (await runsOfFunction(id)).length === 2, { what: "the next day's run" });
  });
});

describe("events and failures", () => {
  it("runs onFailure with the failed run's error and event", async () => {
    const id = unique("fails");
    const event = unique("test/import.requested");
    async function importFile({ step }: Ctx) {
      return step.run("parse", () => {
        throw new Error("row 3 is not CSV");
      });
    }
    async function reportFailure({ event: failed, error, step }: Ctx & { error: Error; event: { data: Record<string, unknown> } }) {
      return step.run("report", () => ({ message: error.message, original: (failed.data.event as { data: unknown }).data }));
    }
    const fn = inngest.createFunction({ id, triggers: [{ event }], retries: 0, onFailure: reportFailure }, importFile);
    await start([{ fn, handler: importFile }]);
    const eventId = await send(event, { file: "leads.csv" });
    await runReaching(eventId, ["failed"]);
    const handled = await waitFor(async () => (await runsOfFunction(`${id}-failure`)).find((r) => r.status === "completed"));
    expect(handled.output).toEqual({ message: "row 3 is not CSV", original: { file: "leads.csv" } });
  });

  it("starts the functions a step.sendEvent triggers, once", async () => {
    const child = define<{ parent: string }>({}, async ({ event, step }) => step.run("child", () => `child of ${event.data.parent}`));
    const parent = define({}, async ({ runId, step }) => step.sendEvent("fan-out", { name: child.event, data: { parent: runId } }));
    await start([parent, child]);
    const run = await runReaching(await send(parent.event, {}), ["completed"]);
    const sent = (run.output as { ids: string[] }).ids;
    expect(sent).toHaveLength(1);
    const childRun = await runReaching(sent[0]!, ["completed"]);
    expect(childRun.output).toBe(`child of ${run.id}`);
    expect(await runsOf(sent[0]!)).toHaveLength(1);
  });
});

function nextUtc(now: number, hour: number, minute: number): number {
  const d = new Date(now);
  const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, minute);
  return at > now + 10_000 ? at : at + 86_400_000;
}

describe("runOnly (a command line following its own work)", () => {
  it("runs only the named function and its failure handler, still fans every event out to every function, and refuses an unknown id", async () => {
    const failed: string[] = [];
    const mine = define({ retries: 0, onFailure: ({ error }: { error: Error }) => void failed.push(error.message) }, async ({ event }) => {
      if ((event.data as { fail?: boolean }).fail) throw new NonRetriableError("mine gave up");
      return "mine";
    });
    const other = define({}, async () => "other");
    // A second function on mine's event: its runs must exist, though this executor does not run them.
    const alsoId = unique("fn");
    const alsoHandler = async () => "also";
    const also = { fn: inngest.createFunction({ id: alsoId, triggers: [{ event: mine.event }] }, alsoHandler), handler: alsoHandler };
    await start([mine, other, also], { runOnly: [mine.id] });

    const statusOf = async (eventId: string, functionId: string) =>
      (await runsOf(eventId)).find((r) => r.function_id === functionId)?.status;
    const ok = await send(mine.event, {});
    await waitFor(async () => (await statusOf(ok, mine.id)) === "completed", { what: "mine to complete" });
    const bad = await send(mine.event, { fail: true });
    await waitFor(async () => (await statusOf(bad, mine.id)) === "failed", { what: "mine to fail" });
    await waitFor(async () => failed.length > 0, { what: "mine's failure handler" });
    expect(failed).toEqual(["mine gave up"]);

    const otherEvent = await send(other.event, {});
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await runsOf(otherEvent)).map((r) => r.status)).toEqual(["queued"]);
    expect((await runsOfFunction(alsoId)).map((r) => r.status)).toEqual(["queued", "queued"]);

    await expect(start([mine], { runOnly: ["no-such-function"] })).rejects.toThrow("runOnly names functions that are not registered");
  });
});
