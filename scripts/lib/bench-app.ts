import { appendFileSync } from "node:fs";
import { spawn } from "node:child_process";

/**
 * The app as the benchmarks run it: `npm start` (the launcher: PostgreSQL shared when the
 * bench already runs one in DATA_DIR on EMBEDDED_PG_PORT, the local job executor, Next) from
 * a production build, and a user's session cookie from the app's own sign-in endpoint.
 */

export type RunningApp = { url: string; pid: number; log: () => string; stop: () => Promise<void> };

/** Environment for `next build` / `npm start` against the bench's cluster and data directory. */
export function benchAppEnv({ port, pgPort, dataDir, distDir }: { port: number; pgPort: number; dataDir: string; distDir: string }) {
  return {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: distDir,
    PORT: String(port),
    APP_URL: `http://localhost:${port}`,
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    DATABASE_URL: "",
    NEXT_PUBLIC_SUPABASE_URL: "",
    RESEND_API_KEY: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_DEV: "",
  };
}

/** `npm start` in its own process group (so it and everything it started can be stopped together), once healthy. */
export async function startApp(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const url = env.APP_URL!;
  const app = spawn("npm", ["start"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  // BENCH_APP_LOG=<file>: the app's output kept as it comes (with NODE_OPTIONS=--trace-gc, each process's collections).
  const keep = process.env.BENCH_APP_LOG;
  const take = (d: Buffer) => {
    log += d.toString();
    if (keep) appendFileSync(keep, d);
  };
  app.stdout!.on("data", take);
  app.stderr!.on("data", take);
  const exited = new Promise((resolve) => app.once("exit", resolve));
  const end = () => {
    if (app.exitCode === null && app.signalCode === null && app.pid) process.kill(-app.pid, "SIGTERM");
  };
  // Its own group does not hear a Ctrl-C meant for the bench: a bench that exits without stopping it (a signal, an error) ends it too.
  process.once("exit", end);
  const stop = async () => {
    process.off("exit", end);
    end();
    await exited;
  };
  try {
    await waitFor(`${url}/api/health`, 180_000, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: app.pid!, log: () => log, stop };
}

/** Signs in through the app's auth endpoint and builds the session cookie @supabase/ssr reads (chunked past 3,180 characters). */
export async function signIn(
  appUrl: string,
  anonKey: string,
  email: string,
  password: string,
  fetcher: typeof fetch = fetch,
): Promise<string> {
  const res = await fetcher(`${appUrl}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: anonKey, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const session = await res.json();
  const value = `base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`;
  const name = "sb-lip-auth-token";
  if (value.length <= 3180) return `${name}=${value}`;
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += 3180) chunks.push(`${name}.${chunks.length}=${value.slice(i, i + 3180)}`);
  return chunks.join("; ");
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} failed:\n${out.slice(-4000)}`))));
  });
}

export async function waitFor(url: string, timeoutMs: number, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the app did not answer on ${url}:\n${log().slice(-4000)}`);
}
