/**
 * Where a page's server time goes, on the data `npm run bench:analytics` kept
 * (BENCH_KEEP_DATA=1, its .data/bench-analytics and .next-bench build): starts PostgreSQL with
 * pg_stat_statements and the production app with a CPU profile (--cpu-prof), requests each of
 * PROFILE_PATHS (comma-separated, e.g. "/settings,/analytics") PROFILE_RUNS times as the analyst,
 * prints p50/p95, the statements by total time, and writes the Next server's profile to
 * PROFILE_DIR (the profile of the process that served, written when it exits).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import WebSocket from "ws";
import { processTreeMemory } from "./lib/process-tree-memory";
import os from "node:os";
import path from "node:path";
import { openPostgres } from "@/db/postgres-target";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { embeddedEnvironment, loadOrCreateLocalSecrets } from "@/lib/local/secrets";
import { benchAppEnv, signIn, startApp } from "./lib/bench-app";
import { BENCH_PASSWORD } from "./lib/bench-leads-data";

const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54375);
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3075);
const RUNS = Number(process.env.PROFILE_RUNS ?? 40);
const PATHS = (process.env.PROFILE_PATHS ?? "/settings,/analytics").split(",");
const CPU_PROFILE = process.env.PROFILE_CPU !== "0";
const PROFILE_DIR = path.resolve(process.env.PROFILE_DIR ?? "/tmp/page-profile");
const DATA_DIR = path.resolve(".data/bench-analytics");
const INSPECT_PORT = Number(process.env.PROFILE_INSPECT_PORT ?? 9239);

async function main() {
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, "postgres"),
    port: PG_PORT,
    database: "lip",
    settings: { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all" },
  });
  const sql = openPostgres(cluster.url, { max: 2, onnotice: () => {}, prepare: false });
  const env: NodeJS.ProcessEnv = benchAppEnv({ port: APP_PORT, pgPort: PG_PORT, dataDir: DATA_DIR, distDir: ".next-bench" });
  if (CPU_PROFILE) {
    await rm(PROFILE_DIR, { recursive: true, force: true });
    await mkdir(PROFILE_DIR, { recursive: true });
    env.NODE_OPTIONS = `--inspect-port=127.0.0.1:${INSPECT_PORT}`;
  }
  const secrets = await loadOrCreateLocalSecrets(DATA_DIR);
  Object.assign(process.env, { APP_URL: env.APP_URL, DATABASE_URL: cluster.url }, await embeddedEnvironment(secrets, env));
  const app = await startApp(env).catch(async (error: unknown) => {
    await sql.end({ timeout: 5 });
    await cluster.stop();
    throw error;
  });
  try {
    await sql`create extension if not exists pg_stat_statements`;
    const [analyst] = await sql<{ email: string }[]>`
      select u.email from public.workspace_members m join auth.users u on u.id = m.user_id
      join public.workspaces w on w.id = m.workspace_id where w.slug = 'bench-outbound' and m.role = 'analyst'`;
    const cookie = await signIn(app.url, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, analyst!.email, BENCH_PASSWORD);
    const get = async (p: string) => {
      const res = await fetch(`${app.url}${p}`, { headers: { cookie }, redirect: "manual" });
      await res.text();
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
    };
    for (const p of PATHS) for (let i = 0; i < 5; i++) await get(p);
    await sql`select pg_stat_statements_reset()`;
    const profiler = CPU_PROFILE ? await startProfiler(nextServerPid(app.pid)) : null;
    for (const p of PATHS) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await get(p);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const q = (x: number) => times[Math.min(times.length - 1, Math.ceil(x * times.length) - 1)]!;
      console.log(`${p.padEnd(40)} p50 ${q(0.5).toFixed(1)} ms  p95 ${q(0.95).toFixed(1)} ms  (load ${os.loadavg()[0]!.toFixed(1)})`);
    }
    if (profiler) {
      const file = path.join(PROFILE_DIR, "next-server.cpuprofile");
      await writeFile(file, JSON.stringify(await profiler.stop()));
      console.log(`CPU profile of the Next server over the timed requests: ${file}`);
    }
    const top = await sql<{ calls: number; total: number; mean: number; query: string }[]>`
      select calls::int, total_exec_time::float8 as total, mean_exec_time::float8 as mean, regexp_replace(query, '\\s+', ' ', 'g') as query
      from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by total_exec_time desc limit 30`;
    console.log(`statements by total time (ms):  total   calls   mean  query`);
    for (const r of top)
      console.log(
        `  ${r.total.toFixed(0).padStart(8)} ${String(r.calls).padStart(6)} ${r.mean.toFixed(2).padStart(7)}  ${r.query.slice(0, 220)}`,
      );
  } finally {
    await app.stop();
    await sql.end({ timeout: 5 });
    await cluster.stop();
  }
}

function nextServerPid(root: number): number {
  const next = processTreeMemory(root).filter((p) => p.name === "Next");
  if (next.length === 0) throw new Error("no Next server process under the app");
  return next[next.length - 1]!.pid;
}

/** Opens the process's inspector (SIGUSR1, on the port --inspect-port gave it) and starts its CPU profiler. */
async function startProfiler(pid: number): Promise<{ stop: () => Promise<unknown> }> {
  process.kill(pid, "SIGUSR1");
  let url: string | undefined;
  for (let tries = 0; tries < 50 && !url; tries++) {
    const targets = await fetch(`http://127.0.0.1:${INSPECT_PORT}/json/list`)
      .then((r) => r.json() as Promise<{ webSocketDebuggerUrl?: string }[]>)
      .catch(() => []);
    url = targets[0]?.webSocketDebuggerUrl;
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  if (!url) throw new Error(`process ${pid} opened no inspector on port ${INSPECT_PORT}`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 500 });
  await call("Profiler.start");
  return {
    stop: async () => {
      const { profile } = (await call("Profiler.stop")) as { profile: unknown };
      socket.close();
      return profile;
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
