/**
 * A child process for the send fault-injection test: runs the local executor for the test's
 * sequence function and, at the requested point around the send step's save, reports over IPC
 * and stalls so the parent can SIGKILL it there. Kill points inside the provider call are the
 * parent's (its outbox hangs). Started with `node --conditions=react-server --import tsx`.
 *
 * Messages in: { go: { databaseUrl, suffix, killAt } }. Messages out: "ready", { stopped: point }.
 */
import { LocalExecutor } from "@/lib/jobs/executor/executor";
import type { StepHookInfo } from "@/lib/jobs/executor/types";
import { testSequenceFunction } from "./sequence-function";

const quiet = () => {};

type Go = { databaseUrl: string; suffix: string; killAt: string };

process.on("message", (message: { go?: Go }) => {
  if (message.go) void run(message.go);
});
process.send?.("ready");

async function run({ databaseUrl, suffix, killAt }: Go): Promise<void> {
  const stall = (when: "before" | "after") => async (info: StepHookInfo) => {
    if (`${when}:${info.stepId}` !== killAt) return;
    process.send?.({ stopped: killAt });
    await new Promise(() => {});
  };
  const executor = new LocalExecutor({
    databaseUrl,
    functions: [testSequenceFunction(suffix)],
    logger: { debug: quiet, info: quiet, warn: quiet, error: console.error },
    leaseMs: 400,
    pollMs: 50,
    poolSize: 2,
    hooks: { beforeStepSaved: stall("before"), afterStepSaved: stall("after") },
  });
  await executor.start();
}
