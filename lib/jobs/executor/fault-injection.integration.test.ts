import path from "node:path";
import { killFaultChild, nextMessage, spawnFaultChild, type FaultChild } from "../testing/fault-child";
import { openPostgres } from "@/db/postgres-target";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { createFaultFunction, FAULT_STEPS, FAULT_TABLES } from "../testing/fault-function";
import { runReaching, send, startTestExecutor, unique } from "../testing/harness";

/**
 * Crash safety: a child process runs the executor and is killed with SIGKILL (no cleanup,
 * no thrown error) right after a step's side effect but before its result is saved, or right
 * after a result is saved and before the next step starts, once or twice per run, twenty runs
 * in all. Every run must complete, every step's keyed side effect must exist exactly once, a
 * step saved before the kill must never run again, and a step killed before its save must.
 */

const WORKER = path.resolve(import.meta.dirname, "../testing/fault-worker.ts");
const POINTS = FAULT_STEPS.flatMap((step) => [`before:${step}`, `after:${step}`]);
const ITERATIONS = 20;

type Child = FaultChild;

const spawnChild = () => spawnFaultChild(WORKER);
const kill = killFaultChild;

/** Kill plans: one or two points per run, the second always later than the first. */
function planFor(i: number): string[] {
  const first = POINTS[i % POINTS.length]!;
  const later = POINTS.slice(POINTS.indexOf(first) + 1);
  return i % 2 === 1 && later.length > 0 ? [first, later[(i * 7) % later.length]!] : [first];
}

const databaseUrl = process.env.DATABASE_URL ?? "";
const id = unique("fault");
const event = unique("test/order.placed");
const parentSql = openPostgres(databaseUrl, { max: 2, onnotice: () => {} });
const spare: Promise<Child>[] = [];
const alive = new Set<Child>();

beforeAll(async () => {
  await serviceDb().execute(sql.raw(FAULT_TABLES));
  for (let n = 0; n < 3; n++) spare.push(spawnChild());
});

afterAll(async () => {
  for (const pending of spare.splice(0)) alive.add(await pending.catch(() => undefined as never));
  await Promise.all([...alive].filter(Boolean).map(kill));
  await parentSql.end();
});

async function takeChild(): Promise<Child> {
  const child = await spare.shift()!;
  spare.push(spawnChild());
  alive.add(child);
  return child;
}

describe("fault injection", () => {
  it(
    `completes ${ITERATIONS} runs killed by SIGKILL mid-step and between steps, each side effect exactly once`,
    { timeout: 120_000 },
    async () => {
      const outcomes: string[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const plan = planFor(i);
        const eventId = await send(event, { order: i });
        for (const killAt of plan) {
          const child = await takeChild();
          child.process.send({ go: { databaseUrl, id, event, killAt } });
          expect(await nextMessage(child, 15_000)).toEqual({ stopped: killAt });
          await kill(child);
          alive.delete(child);
        }

        // The survivor: an executor in this process resumes once the dead one's lease expires.
        const survivor = await startTestExecutor([createFaultFunction({ id, event, sql: parentSql })], { leaseMs: 400, pollMs: 50 });
        const run = await runReaching(eventId, ["completed", "failed"], 15_000);
        await survivor.stop();

        expect(run.status).toBe("completed");
        expect(run.output).toEqual([...FAULT_STEPS]);
        const effects = await parentSql<{ step: string; n: number }[]>`
        select step, count(*)::int as n from jobs_test.fault_effects where run_id = ${run.id} group by step order by step`;
        expect(Object.fromEntries(effects.map((e) => [e.step, e.n]))).toEqual({ reserve: 1, charge: 1, notify: 1 });

        const executions = Object.fromEntries(
          (
            await parentSql<{ step: string; n: number }[]>`
            select step, count(*)::int as n from jobs_test.fault_executions where run_id = ${run.id} group by step`
          ).map((e) => [e.step, e.n]),
        );
        const expected: Record<string, number> = { reserve: 1, charge: 1, notify: 1 };
        for (const killAt of plan) {
          const [when, step] = killAt.split(":") as ["before" | "after", string];
          if (when === "before") expected[step] = (expected[step] ?? 0) + 1;
        }
        expect(executions, `plan ${plan.join(" then ")}`).toEqual(expected);
        outcomes.push(plan.join("+"));
      }
      expect(outcomes).toHaveLength(ITERATIONS);
      expect(new Set(outcomes.flatMap((o) => o.split("+")))).toEqual(new Set(POINTS));
    },
  );
});
