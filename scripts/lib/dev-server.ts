import { spawn } from "node:child_process";

/** A started `npm run dev`: its output so far, and ends of its whole process group as a terminal or a crash ends it. */
export type DevServerProcess = {
  /** The launcher's PID, also its process group's id. */
  pid: number;
  output(): string;
  /** Ctrl-C (or another signal) to the group; resolves once the launcher has exited and the app no longer answers. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** SIGKILL to the group, as a crash or an out-of-memory kill ends it; resolves as `stop` does. */
  kill(): Promise<void>;
};

export type DevServerOptions = {
  /** The checkout whose `npm run dev` runs. */
  root: string;
  /** Its whole environment; PORT or APP_URL say where it answers. */
  env: NodeJS.ProcessEnv;
  /** How long the start may take before it counts as failed (a cold compile cache on a busy machine takes minutes). */
  timeoutMs?: number;
  /** CPUs to keep the whole session on (taskset's list, e.g. "0"), for experiments (scripts/lib/reload-loop-recipe.ts). */
  cpus?: string;
};

const READY = "Lead Intelligence Panel is ready";

/**
 * `npm run dev` in a process group of its own, as a terminal runs it, once its banner is printed.
 * The launcher starts Next in a group of its own, ended by its guard (lib/local/process-guard.ts)
 * once the launcher is gone: a stop waits until the app no longer answers /api/health.
 */
export async function startDevServer({ root, env, timeoutMs = 300_000, cpus }: DevServerOptions): Promise<DevServerProcess> {
  const [command, args] = cpus ? ["taskset", ["-c", cpus, "npm", "run", "dev"]] : ["npm", ["run", "dev"]];
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += String(chunk)));
  child.stderr!.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const began = Date.now();
  while (!output.includes(READY)) {
    if (child.exitCode !== null || Date.now() - began > timeoutMs) {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      throw new Error(`npm run dev did not become ready in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const health = `${appOrigin(env)}/api/health`;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
    await exited;
    for (let tries = 0; tries < 100; tries++) {
      if (!(await fetch(health, { signal: AbortSignal.timeout(1_000) }).catch(() => null))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the app at ${health} still answered 20 s after ${signal}`);
  };
  return { pid: child.pid!, output: () => output, stop: (signal = "SIGINT") => end(signal), kill: () => end("SIGKILL") };
}

function appOrigin(env: NodeJS.ProcessEnv): string {
  return (env.APP_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace("localhost", "127.0.0.1");
}
