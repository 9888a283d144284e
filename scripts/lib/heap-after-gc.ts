import WebSocket from "ws";

/**
 * The memory a running Node process keeps alive: its JS heap plus the memory outside it that
 * JS objects hold (buffers, sockets' backing stores), read right after a full garbage
 * collection. Resident memory (VmRSS) is no measure of what something costs to keep: it
 * tracks when the collector last ran and what the allocator kept for reuse, so the same
 * 200 event streams measured 233 kB and then 47 kB each with no change in the code.
 *
 * The process is asked through the inspector protocol: SIGUSR1 makes Node open its inspector
 * (on its debug port, 9229 unless started with --inspect-port), which only a benchmark on
 * its own machine should ever do to a process.
 */

export type RetainedMemory = { heapUsedKb: number; externalKb: number };

type Target = { webSocketDebuggerUrl?: string };

export async function openInspector(pid: number, port = 9229): Promise<string> {
  process.kill(pid, "SIGUSR1");
  for (let tries = 0; tries < 50; tries++) {
    const targets = await fetch(`http://127.0.0.1:${port}/json/list`)
      .then((r) => r.json() as Promise<Target[]>)
      .catch(() => []);
    const url = targets[0]?.webSocketDebuggerUrl;
    if (url) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process ${pid} opened no inspector on port ${port} after SIGUSR1`);
}

/** Collects garbage in the inspected process (twice: weak references freed by the first are swept by the second), then reads its memory. */
export async function retainedMemory(inspectorUrl: string): Promise<RetainedMemory> {
  const socket = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const settle = pending.get(message.id);
    pending.delete(message.id);
    settle?.(message.error ? new Error(message.error.message) : message.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, (result) => (result instanceof Error ? reject(result) : resolve(result)));
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call("HeapProfiler.collectGarbage");
    await call("HeapProfiler.collectGarbage");
    const answer = (await call("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true })) as {
      result: { value: string };
    };
    const usage = JSON.parse(answer.result.value) as { heapUsed: number; external: number };
    return { heapUsedKb: usage.heapUsed / 1024, externalKb: usage.external / 1024 };
  } finally {
    socket.close();
  }
}
