/**
 * A child process for the fault-injection test: runs the local executor for the fault
 * function and, at the requested point, reports over IPC and stalls so the parent can
 * SIGKILL it there. Started with `node --conditions=react-server --import tsx` (tsx).
 *
 * Messages in: { go: { databaseUrl, id, event, killAt } }. Messages out: "ready", { stopped: point }.
 */
import { openPostgres } from "@/db/postgres-target";
import { LocalExecutor } from "../executor/executor";
import type { StepHookInfo } from "../executor/types";
import { createFaultFunction } from "./fault-function";

const quiet = () => {};

type Go = { databaseUrl: string; id: string; event: string; killAt: string };

process.on("message", (message: { go?: Go }) => {
  if (message.go) void run(message.go);
});
process.send?.("ready");

async function run({ databaseUrl, id, event, killAt }: Go): Promise<void> {
  const sql = openPostgres(databaseUrl, { max: 2, onnotice: () => {} });
  const stall = (when: "before" | "after") => async (info: StepHookInfo) => {
    if (`${when}:${info.stepId}` !== killAt) return;
    process.send?.({ stopped: killAt });
    await new Promise(() => {});
  };
  const executor = new LocalExecutor({
    databaseUrl,
    functions: [createFaultFunction({ id, event, sql })],
    logger: { debug: quiet, info: quiet, warn: quiet, error: console.error },
    leaseMs: 400,
    pollMs: 50,
    poolSize: 2,
    hooks: { beforeStepSaved: stall("before"), afterStepSaved: stall("after") },
  });
  await executor.start();
}
