import { NonRetriableError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { serviceDb } from "@/db";
import { auditLog } from "@/db/schema";
import { inngest, type JobContext } from "@/inngest/client";
import { AppError } from "@/lib/errors";
import { systemFunctionId } from "../app-id";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { runReaching, runsOf, send, startTestExecutor, unique, waitFor, type TestExecutor } from "../testing/harness";
import { getJobRun } from "./get-job-run";
import { listJobFunctionIds, listJobRuns } from "./list-job-runs";
import { cancelJobRun, replayJobRun, retryJobRunFromFailedStep, type RunActor } from "./manage-job-run";

/** The service functions behind the Jobs page, scoped by workspace, with RLS as the backstop. */

type Ctx = JobContext<{ name: string; data: { workspaceId: string; n?: number } }>;

const names = {
  ok: unique("ok"),
  flaky: unique("flaky"),
  sleeper: unique("sleeper"),
  napper: unique("napper"),
  follower: unique("follower"),
};
const events = {
  ok: unique("test/ok.requested"),
  flaky: unique("test/flaky.requested"),
  sleeper: unique("test/sleeper.requested"),
  napper: unique("test/napper.requested"),
};
let flakyCalls = 0;
let flakyHealed = false;

async function ok({ event, step }: Ctx) {
  const a = await step.run("first", () => event.data.n ?? 0);
  return step.run("second", () => a + 1);
}
async function flaky({ step }: Ctx) {
  await step.run("prepare", () => "ready");
  return step.run("call-vendor", () => {
    flakyCalls++;
    if (!flakyHealed) throw new NonRetriableError("vendor rejected the key");
    return "accepted";
  });
}
async function sleeper({ step }: Ctx) {
  await step.sleep("nap", "1d");
  return "rested";
}

/** The cancellations the follower heard of (inngest/function.cancelled, filtered to the napper's by its trigger). */
const followed: Record<string, unknown>[] = [];
async function follower({ event }: { event: { data: Record<string, unknown> } }) {
  followed.push(event.data);
  return "noted";
}

const functions = [
  { fn: inngest.createFunction({ id: names.napper, triggers: [{ event: events.napper }] }, sleeper), handler: sleeper },
  {
    fn: inngest.createFunction(
      {
        id: names.follower,
        // The napper's cancellations, and those of a function that does not exist here: any trigger may let an event through.
        triggers: [
          { event: "inngest/function.cancelled", if: `event.data.function_id == '${systemFunctionId("no-such-function")}'` },
          { event: "inngest/function.cancelled", if: `event.data.function_id == '${systemFunctionId(names.napper)}'` },
        ],
      },
      follower,
    ),
    handler: follower,
  },
  { fn: inngest.createFunction({ id: names.ok, triggers: [{ event: events.ok }] }, ok), handler: ok },
  { fn: inngest.createFunction({ id: names.flaky, triggers: [{ event: events.flaky }], retries: 0 }, flaky), handler: flaky },
  { fn: inngest.createFunction({ id: names.sleeper, triggers: [{ event: events.sleeper }] }, sleeper), handler: sleeper },
];

let fx: TenancyFixture;
let executor: TestExecutor;
let a: string;
let b: string;
const runIds = { okA: [] as string[], okB: "", flaky: "", sleeper: "" };
/** Who the actions below act for: an admin on the Jobs page. */
let by: RunActor;

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  [a, b] = [fx.a.id, fx.b.id];
  by = { userId: fx.a.members.admin.id, via: "jobs_page" };
  executor = await startTestExecutor(functions);
  for (const n of [1, 2, 3]) runIds.okA.push((await runReaching(await send(events.ok, { workspaceId: a, n }), ["completed"])).id);
  runIds.okB = (await runReaching(await send(events.ok, { workspaceId: b, n: 9 }), ["completed"])).id;
  runIds.flaky = (await runReaching(await send(events.flaky, { workspaceId: a }), ["failed"])).id;
  runIds.sleeper = (await runReaching(await send(events.sleeper, { workspaceId: a }), ["sleeping"])).id;
});

afterAll(async () => {
  await executor.stop();
  await removeTenancyFixture(fx, serviceDb());
});

describe("listJobRuns", () => {
  it("lists the workspace's runs newest first, never another workspace's", async () => {
    const { runs } = await listJobRuns(serviceDb(), { workspaceId: a });
    const ids = runs.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([...runIds.okA, runIds.flaky, runIds.sleeper]));
    expect(ids).not.toContain(runIds.okB);
    const created = runs.map((r) => r.createdAt.getTime());
    expect([...created].sort((x, y) => y - x)).toEqual(created);
    const flakyRun = runs.find((r) => r.id === runIds.flaky);
    expect(flakyRun).toMatchObject({ functionId: names.flaky, eventName: events.flaky, status: "failed", attempts: 1 });
    expect(flakyRun?.error?.message).toBe("vendor rejected the key");
    expect(flakyRun?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("filters by function, status, time and event data", async () => {
    const byFunction = await listJobRuns(serviceDb(), { workspaceId: a, functionId: names.ok });
    expect(byFunction.runs.map((r) => r.id).sort()).toEqual([...runIds.okA].sort());
    const bySleeping = await listJobRuns(serviceDb(), { workspaceId: a, status: ["sleeping", "waiting"] });
    expect(bySleeping.runs.map((r) => r.id)).toEqual([runIds.sleeper]);
    const future = await listJobRuns(serviceDb(), { workspaceId: a, from: new Date(Date.now() + 60_000) });
    expect(future.runs).toEqual([]);
    const past = await listJobRuns(serviceDb(), { workspaceId: a, to: new Date(Date.now() - 3_600_000) });
    expect(past.runs).toEqual([]);
    const byData = await listJobRuns(serviceDb(), { workspaceId: a, functionId: names.ok, eventData: { n: 2 } });
    expect(byData.runs.map((r) => r.id)).toEqual([runIds.okA[1]]);
    expect(await listJobFunctionIds(serviceDb(), { workspaceId: b })).toEqual([names.ok]);
  });

  it("paginates with a cursor", async () => {
    const first = await listJobRuns(serviceDb(), { workspaceId: a, functionId: names.ok, limit: 2 });
    expect(first.runs).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await listJobRuns(serviceDb(), { workspaceId: a, functionId: names.ok, limit: 2, cursor: first.nextCursor });
    expect(second.runs).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.runs, ...second.runs].map((r) => r.id))).toEqual(new Set(runIds.okA));
    await expect(listJobRuns(serviceDb(), { workspaceId: a, cursor: "garbage" })).rejects.toBeInstanceOf(AppError);
  });

  it("shows runs to the workspace's admins only under RLS", async () => {
    const asAdmin = await asUser(fx.a.members.admin, (tx) => listJobRuns(tx, { workspaceId: a, functionId: names.ok }));
    expect(asAdmin.runs).toHaveLength(3);
    const asRep = await asUser(fx.a.members.sales_rep, (tx) => listJobRuns(tx, { workspaceId: a }));
    expect(asRep.runs).toEqual([]);
    const otherAdmin = await asUser(fx.b.members.admin, (tx) => listJobRuns(tx, { workspaceId: a }));
    expect(otherAdmin.runs).toEqual([]);
  });
});

describe("getJobRun", () => {
  it("returns the event payload and each step's status, timing and output", async () => {
    const run = await getJobRun(serviceDb(), { workspaceId: a, runId: runIds.okA[0]! });
    expect(run).toMatchObject({ status: "completed", output: 2, event: { name: events.ok, data: { workspaceId: a, n: 1 } } });
    expect(run.steps.map((s) => [s.stepId, s.op, s.status, s.attempts, s.output])).toEqual([
      ["first", "run", "completed", 1, 1],
      ["second", "run", "completed", 1, 2],
    ]);
    expect(run.steps[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("shows a failed step's error and a sleeping step's wake-up", async () => {
    const failed = await getJobRun(serviceDb(), { workspaceId: a, runId: runIds.flaky });
    expect(failed.steps.find((s) => s.stepId === "call-vendor")).toMatchObject({
      status: "failed",
      error: { name: "NonRetriableError", message: "vendor rejected the key" },
    });
    const sleeping = await getJobRun(serviceDb(), { workspaceId: a, runId: runIds.sleeper });
    expect(sleeping.steps[0]).toMatchObject({ stepId: "nap", op: "sleep", status: "sleeping" });
    expect(sleeping.steps[0]?.wakeAt?.getTime()).toBeGreaterThan(Date.now());
  });

  it("treats another workspace's run as not found", async () => {
    await expect(getJobRun(serviceDb(), { workspaceId: b, runId: runIds.okA[0]! })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("actions", () => {
  it("replays a run as a new run of the same event", async () => {
    const { runId } = await replayJobRun(serviceDb(), { workspaceId: a, runId: runIds.okA[2]! }, by);
    const replay = await waitFor(async () => {
      const r = await getJobRun(serviceDb(), { workspaceId: a, runId });
      return r.status === "completed" ? r : undefined;
    });
    const original = await getJobRun(serviceDb(), { workspaceId: a, runId: runIds.okA[2]! });
    expect(replay).toMatchObject({ replayOf: original.id, eventId: original.eventId, output: original.output });
    expect(original.replays.map((r) => r.id)).toContain(runId);
    await expect(replayJobRun(serviceDb(), { workspaceId: b, runId: runIds.okA[2]! }, by)).rejects.toMatchObject({ code: "not_found" });
  });

  it("cancels a run in progress and refuses to cancel a finished one; a run in progress is not replayed beside itself", async () => {
    await expect(replayJobRun(serviceDb(), { workspaceId: a, runId: runIds.sleeper }, by)).rejects.toMatchObject({
      code: "conflict",
      message: "This run is still in progress: cancel it first, or wait for it to end, then replay it.",
    });
    await expect(cancelJobRun(serviceDb(), { workspaceId: b, runId: runIds.sleeper }, by)).rejects.toMatchObject({ code: "not_found" });
    await cancelJobRun(serviceDb(), { workspaceId: a, runId: runIds.sleeper }, by);
    expect((await getJobRun(serviceDb(), { workspaceId: a, runId: runIds.sleeper })).status).toBe("cancelled");
    executor.clock.advance(2 * 86_400_000);
    executor.wake();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await getJobRun(serviceDb(), { workspaceId: a, runId: runIds.sleeper })).status).toBe("cancelled");
    await expect(cancelJobRun(serviceDb(), { workspaceId: a, runId: runIds.okA[0]! }, by)).rejects.toMatchObject({ code: "conflict" });
  });

  it("sends inngest/function.cancelled with the run's event when it cancels, as Inngest does, for the functions that follow it", async () => {
    const eventId = await send(events.napper, { workspaceId: a, n: 7 });
    const napping = await runReaching(eventId, ["sleeping"]);
    await cancelJobRun(serviceDb(), { workspaceId: a, runId: napping.id }, by);
    const heard = await waitFor(async () => followed.find((f) => f.run_id === napping.id));
    expect(heard).toEqual({
      function_id: systemFunctionId(names.napper),
      run_id: napping.id,
      error: { name: "Error", message: "function cancelled" },
      event: { name: events.napper, data: { workspaceId: a, n: 7 }, id: eventId, ts: expect.any(Number) },
    });
    // The follower's run is the workspace's, on its Jobs page; the sleeper cancelled above was followed by nobody.
    const { runs } = await listJobRuns(serviceDb(), { workspaceId: a, functionId: names.follower });
    expect(runs).toHaveLength(1);
    expect(followed.filter((f) => f.run_id === runIds.sleeper)).toEqual([]);
  });

  it("does not start a run's work again while a replay of it is in progress: a second click, or a cron replaying every failed run", async () => {
    const napping = await runReaching(await send(events.napper, { workspaceId: a, n: 8 }), ["sleeping"]);
    await cancelJobRun(serviceDb(), { workspaceId: a, runId: napping.id }, by);
    const first = await replayJobRun(serviceDb(), { workspaceId: a, runId: napping.id }, by);
    await expect(replayJobRun(serviceDb(), { workspaceId: a, runId: napping.id }, by)).rejects.toMatchObject({
      code: "conflict",
      message: "Another run of this job is doing the same work now: cancel it first, or wait for it to end.",
      existingId: first.runId,
    });
    await cancelJobRun(serviceDb(), { workspaceId: a, runId: first.runId }, by);
    // Two asked at the same moment: one replay, one refusal.
    const both = await Promise.allSettled([0, 1].map(() => replayJobRun(serviceDb(), { workspaceId: a, runId: napping.id }, by)));
    const queued = both.flatMap((r) => (r.status === "fulfilled" ? [r.value.runId] : []));
    expect(queued).toHaveLength(1);
    expect(both.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    await cancelJobRun(serviceDb(), { workspaceId: a, runId: queued[0]! }, by);
  });

  it("retries a failed run from its failed step, keeping completed steps", async () => {
    await expect(retryJobRunFromFailedStep(serviceDb(), { workspaceId: a, runId: runIds.okA[0]! }, by)).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(retryJobRunFromFailedStep(serviceDb(), { workspaceId: b, runId: runIds.flaky }, by)).rejects.toMatchObject({
      code: "not_found",
    });
    flakyHealed = true;
    const callsBefore = flakyCalls;
    await retryJobRunFromFailedStep(serviceDb(), { workspaceId: a, runId: runIds.flaky }, by);
    const { eventId } = await getJobRun(serviceDb(), { workspaceId: a, runId: runIds.flaky });
    const run = await runReaching(eventId, ["completed"]);
    expect(run.output).toBe("accepted");
    expect(flakyCalls).toBe(callsBefore + 1);
    const detail = await getJobRun(serviceDb(), { workspaceId: a, runId: runIds.flaky });
    const vendor = detail.steps.find((s) => s.stepId === "call-vendor");
    expect(vendor).toMatchObject({ status: "completed", attempts: 1, output: "accepted" });
    expect(vendor?.attemptErrors.map((e) => e.error.message)).toEqual(["vendor rejected the key"]);
    expect((await runsOf(eventId)).map((r) => r.id)).toEqual([runIds.flaky]);
  });

  it("names who replayed, cancelled or retried a run in the audit log, and the command line when an operator did", async () => {
    const napping = await runReaching(await send(events.napper, { workspaceId: a, n: 9 }), ["sleeping"]);
    await cancelJobRun(serviceDb(), { workspaceId: a, runId: napping.id }, { userId: null, via: "cli" });
    const { runId: replayId } = await replayJobRun(serviceDb(), { workspaceId: a, runId: napping.id }, by);
    await cancelJobRun(serviceDb(), { workspaceId: a, runId: replayId }, by);
    flakyHealed = false;
    const failed = await runReaching(await send(events.flaky, { workspaceId: a }), ["failed"]);
    await retryJobRunFromFailedStep(serviceDb(), { workspaceId: a, runId: failed.id }, by);
    // A refused action leaves no entry.
    await expect(cancelJobRun(serviceDb(), { workspaceId: a, runId: napping.id }, by)).rejects.toMatchObject({ code: "conflict" });

    const entries = await serviceDb()
      .select({ action: auditLog.action, actorId: auditLog.actorId, targetId: auditLog.targetId, metadata: auditLog.metadata })
      .from(auditLog)
      .where(
        and(eq(auditLog.workspaceId, a), eq(auditLog.targetType, "job_run"), inArray(auditLog.targetId, [napping.id, replayId, failed.id])),
      )
      .orderBy(auditLog.createdAt, auditLog.id);
    expect(entries).toEqual([
      { action: "job_run.cancelled", actorId: null, targetId: napping.id, metadata: { functionId: names.napper, via: "cli" } },
      {
        action: "job_run.replayed",
        actorId: by.userId,
        targetId: napping.id,
        metadata: { functionId: names.napper, via: "jobs_page", replayId },
      },
      { action: "job_run.cancelled", actorId: by.userId, targetId: replayId, metadata: { functionId: names.napper, via: "jobs_page" } },
      { action: "job_run.retried", actorId: by.userId, targetId: failed.id, metadata: { functionId: names.flaky, via: "jobs_page" } },
    ]);
    expect((await getJobRun(serviceDb(), { workspaceId: a, runId: napping.id })).error?.message).toBe("Cancelled from the command line.");
  });
});
