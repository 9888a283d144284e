import { fork, type ChildProcess } from "node:child_process";

/**
 * A worker process for fault-injection tests: forked with tsx, it reports over IPC (the first
 * message says it is ready), and the test SIGKILLs it at the point it chose, as a crash would.
 */
export type FaultChild = { process: ChildProcess; messages: unknown[]; waiters: ((m: unknown) => void)[] };

export function spawnFaultChild(worker: string): Promise<FaultChild> {
  const child: FaultChild = {
    process: fork(worker, [], {
      execArgv: ["--conditions=react-server", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
    messages: [],
    waiters: [],
  };
  child.process.on("message", (m) => {
    const waiter = child.waiters.shift();
    if (waiter) waiter(m);
    else child.messages.push(m);
  });
  return nextMessage(child, 30_000).then(() => child);
}

export function nextMessage(child: FaultChild, timeoutMs: number): Promise<unknown> {
  const queued = child.messages.shift();
  if (queued !== undefined) return Promise.resolve(queued);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the child did not report in time")), timeoutMs);
    child.waiters.push((m) => {
      clearTimeout(timer);
      resolve(m);
    });
  });
}

/** Kills the child and waits for its exit; a child that has already exited is left as it is. */
export async function killFaultChild(child: FaultChild): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once("exit", resolve));
  child.process.kill("SIGKILL");
  await exited;
}
