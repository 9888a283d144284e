import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { eventType, Inngest, Middleware } from "inngest";
import { inngest, type JobContext } from "@/inngest/client";
import { LocalExecutor } from "./executor";
import { JobConfigError, type LocalFunction } from "./registry";
import { runReaching, send, startTestExecutor, stepsOf, unique, type TestExecutor } from "../testing/harness";

/**
 * What a function does wrong fails its run with a readable error and leaves the executor
 * running the others; what the executor cannot do at all is refused at start-up.
 */

type Ctx = JobContext<{ name: string; data: Record<string, unknown> }>;

function define(handler: (ctx: Ctx) => unknown, options: Record<string, unknown> = {}): LocalFunction & { event: string } {
  const event = unique("test/bad.input");
  const fn = inngest.createFunction({ id: unique("bad"), triggers: [{ event }], retries: 0, ...options } as { id: string }, handler);
  return { fn, handler, event };
}

const cyclic = () => {
  const node: Record<string, unknown> = { name: "loop" };
  node.self = node;
  return node;
};

const cases = {
  bigint: define(({ step }) => step.run("count", () => ({ total: 10n }) as unknown as string)),
  cyclic: define(({ step }) => step.run("graph", () => cyclic() as unknown as string)),
  oversized: define(({ step }) => step.run("export", () => "x".repeat(1_100_000))),
  oversizedResult: define(async () => ({ blob: "y".repeat(1_100_000) })),
  throwsBigInt: define(({ step }) =>
    step.run("explode", () => {
      throw 42n;
    }),
  ),
  throwsCyclic: define(async () => {
    throw cyclic();
  }),
  loop: define(async ({ step }) => {
    for (;;) await step.run("poll", () => "again");
  }),
  healthy: define(async ({ step }) => {
    const a = await step.run("one", () => 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return step.run("two", () => a + 1);
  }),
};

const schemaEvent = eventType(unique("test/typed.requested"), { schema: z.object({ leadId: z.uuid() }) });
async function typed({ step }: Ctx) {
  return step.run("use", () => "ran");
}
const typedFn = inngest.createFunction({ id: unique("typed"), triggers: [schemaEvent], retries: 0 }, typed);

let executor: TestExecutor;
beforeAll(async () => {
  executor = await startTestExecutor([...Object.values(cases), { fn: typedFn, handler: typed }], { maxStepsPerRun: 40 });
});
afterAll(() => executor.stop());

describe("a run fails with a readable error", () => {
  it.each([
    ["bigint", "cannot be stored as JSON"],
    ["cyclic", "cannot be stored as JSON"],
    ["oversized", "the limit is 1.0 MB"],
    ["oversizedResult", "the limit is 1.0 MB"],
  ] as const)("when the output is unusable (%s)", async (key, message) => {
    const run = await runReaching(await send(cases[key].event, {}), ["failed"]);
    expect(run.error?.message).toContain(message);
  });

  it("when non-serialisable data is thrown", async () => {
    const bigint = await runReaching(await send(cases.throwsBigInt.event, {}), ["failed"]);
    expect(bigint.error).toMatchObject({ name: "NonErrorThrown", message: "A non-Error value was thrown: 42" });
    const object = await runReaching(await send(cases.throwsCyclic.event, {}), ["failed"]);
    expect(object.error?.message).toContain("A non-Error value was thrown");
  });

  it("when a loop keeps calling the same step id", async () => {
    const run = await runReaching(await send(cases.loop.event, {}), ["failed"]);
    expect(run.error?.message).toContain('The step id "poll" was used more than 40 times in one run');
    const steps = await stepsOf(run.id);
    expect(steps.length).toBeLessThanOrEqual(40);
    expect(steps.map((s) => s.step_id).slice(0, 3)).toEqual(["poll", "poll:1", "poll:2"]);
  });

  it("when the event does not match the trigger's schema, naming the field", async () => {
    const run = await runReaching(await send(schemaEvent.name, { leadId: "not-a-uuid" }), ["failed"]);
    expect(run.error?.message).toMatch(/does not match its schema \(leadId: /);
  });

  it("while the executor keeps running other runs", async () => {
    const bad = await Promise.all(
      Object.entries(cases)
        .filter(([k]) => k !== "healthy")
        .map(([, c]) => send(c.event, {})),
    );
    const good = await Promise.all([1, 2, 3].map(() => send(cases.healthy.event, {})));
    for (const id of good) expect((await runReaching(id, ["completed"])).output).toBe(2);
    for (const id of bad) expect((await runReaching(id, ["failed"])).status).toBe("failed");
  });
});

describe("start-up", () => {
  const handler = async () => "never runs";
  const build = (options: Record<string, unknown>, h: (ctx: Ctx) => unknown = handler) =>
    new LocalExecutor({
      databaseUrl: process.env.DATABASE_URL ?? "",
      functions: [
        {
          fn: inngest.createFunction({ id: "unsupported", triggers: [{ event: "test/x.y" }], ...options } as { id: string }, h),
          handler: h,
        },
      ],
    });

  it.each([
    ["debounce", { debounce: { period: "5s" } }],
    ["batchEvents", { batchEvents: { maxSize: 10, timeout: "5s" } }],
    ["rateLimit", { rateLimit: { limit: 1, period: "1h" } }],
  ])("refuses a function that uses %s", (option, options) => {
    expect(() => build(options)).toThrow(JobConfigError);
    expect(() => build(options)).toThrow(`function "unsupported" uses \`${option}\`, which the local executor does not support`);
  });

  it("refuses a throttle it cannot keep to", () => {
    expect(() => build({ throttle: { limit: 0, period: "1m" } })).toThrow("throttle limit must be a whole number of at least 1");
    expect(() => build({ throttle: { limit: 1, period: "500ms" } })).toThrow("throttle period must be from 1s to 7d");
    expect(() => build({ throttle: { limit: 1, period: "1m", burst: -1 } })).toThrow("throttle burst must be a whole number");
    expect(() => build({ throttle: { limit: 1, period: "1m", key: "event.data.a || event.data.b" } })).toThrow("cannot evaluate");
    expect(() => build({ throttle: { limit: 5, period: "1s", burst: 2, key: "event.data.accountId" } })).not.toThrow();
  });

  it("refuses a concurrency scope it cannot keep to", () => {
    expect(() => build({ concurrency: { limit: 1, key: "event.data.accountId", scope: "env" } })).toThrow(
      'concurrency scope "env" is not supported (only "fn" and "account")',
    );
    expect(() => build({ concurrency: { limit: 1, scope: "account" } })).toThrow("an account-scoped concurrency limit needs a key");
    expect(() => build({ concurrency: { limit: 1, key: "event.data.accountId", scope: "account" } })).not.toThrow();
  });

  it("refuses more triggers than Inngest registers for one function", () => {
    const triggers = (n: number) => Array.from({ length: n }, (_, i) => ({ event: `test/x${i}.y` }));
    expect(() => build({ triggers: triggers(11) })).toThrow('function "unsupported" has 11 triggers; Inngest allows at most 10');
    expect(() => build({ triggers: triggers(10) })).not.toThrow();
  });

  it("refuses step tools it does not implement", () => {
    const invoking = async ({ step }: Ctx) => step.invoke("other", { function: "x" } as never);
    expect(() => build({}, invoking)).toThrow("calls `step.invoke`");
  });

  it("refuses expressions it cannot evaluate", () => {
    expect(() => build({ concurrency: { limit: 1, key: "event.data.a + event.data.b" } })).toThrow("cannot evaluate");
    expect(() => build({ cancelOn: [{ event: "test/stop", if: "async.data.n > event.data.n" }] })).toThrow("cannot evaluate");
  });

  it("refuses a client with middleware, which it would not run", () => {
    const withMiddleware = new Inngest({
      id: "with-middleware",
      middleware: [
        class extends Middleware.BaseMiddleware {
          readonly id = "test-middleware";
        },
      ],
    });
    const fn = withMiddleware.createFunction({ id: "mw", triggers: [{ event: "test/x.y" }] }, handler);
    expect(() => new LocalExecutor({ databaseUrl: "postgres://unused", functions: [{ fn, handler }] })).toThrow("has middleware");
  });

  it("refuses a handler that is not the one given to createFunction", () => {
    const fn = inngest.createFunction({ id: "paired", triggers: [{ event: "test/x.y" }] }, handler);
    expect(() => new LocalExecutor({ databaseUrl: "postgres://unused", functions: [{ fn, handler: async () => "other" }] })).toThrow(
      "is not the one passed to inngest.createFunction",
    );
  });
});
