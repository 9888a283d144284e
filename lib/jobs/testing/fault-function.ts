import type { Sql } from "postgres";
import { inngest, type JobContext } from "@/inngest/client";
import type { LocalFunction } from "../executor/registry";

/**
 * The function the fault-injection test kills mid-run: three steps, each with a side effect
 * keyed by (run, step) under a unique constraint, and an append-only log of every execution
 * of each step to show that steps really were re-executed after a kill.
 */
export const FAULT_STEPS = ["reserve", "charge", "notify"] as const;

export const FAULT_TABLES = `
  create schema if not exists jobs_test;
  create table if not exists jobs_test.fault_effects (run_id uuid not null, step text not null, primary key (run_id, step));
  create table if not exists jobs_test.fault_executions (id bigserial primary key, run_id uuid not null, step text not null);
`;

export function createFaultFunction(options: { id: string; event: string; sql: Sql }): LocalFunction {
  const { sql } = options;
  async function chargeOrder({ runId, step }: JobContext<{ name: string; data: { order: number } }>) {
    const done: string[] = [];
    for (const name of FAULT_STEPS) {
      done.push(
        await step.run(name, async () => {
          await sql`insert into jobs_test.fault_executions (run_id, step) values (${runId}, ${name})`;
          await sql`insert into jobs_test.fault_effects (run_id, step) values (${runId}, ${name}) on conflict do nothing`;
          return name;
        }),
      );
    }
    return done;
  }
  const fn = inngest.createFunction({ id: options.id, triggers: [{ event: options.event }], retries: 0 }, chargeOrder);
  return { fn, handler: chargeOrder };
}
