/**
 * Experiments towards a deterministic looping cache (issue 9; scripts/lib/reload-loop-recipe.ts).
 * `npx tsx scripts/reload-loop-experiment.ts <plan>`; prints a timeline (ms since the session's
 * start) with the cache's snapshot times, and LOOPS/HEALTHY for the last session.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import WebSocket from "ws";
import { chunkListAnsweredRestart } from "./lib/dev-build-cache";
import { startDevServer, type DevServerProcess } from "./lib/dev-server";
import { turbopackSnapshotTimes, untilSnapshotSettled, WITHOUT_CACHE_REPAIR_ENV } from "./lib/reload-loop-recipe";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "3070";
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: port,
  EMBEDDED_PG_PORT: process.env.EMBEDDED_PG_PORT ?? "54370",
  DATA_DIR: process.env.DATA_DIR ?? ".data/loop",
  NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-loop",
  APP_URL: process.env.APP_URL ?? `http://localhost:${port}`,
};
const origin = `http://127.0.0.1:${port}`;
const distDir = path.resolve(root, env.NEXT_DIST_DIR!);
let t0 = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}] ${line}`);

async function start(extra: Record<string, string>): Promise<DevServerProcess> {
  t0 = Date.now();
  const server = await startDevServer({ root, env: { ...env, ...extra }, cpus: process.env.RECIPE_CPUS || undefined });
  log(`ready (${JSON.stringify(extra)})`);
  return {
    ...server,
    stop: async (signal = "SIGINT") => {
      log(`stop ${signal}`);
      await server.stop(signal);
      log("stopped");
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(page: string): Promise<string> {
  const began = Date.now();
  const response = await fetch(`${origin}${page}`, { signal: AbortSignal.timeout(300_000) });
  const text = await response.text();
  log(`GET ${page} ${response.status} in ${Date.now() - began} ms`);
  return text;
}

function chunkScripts(html: string): string[] {
  return [...new Set([...html.matchAll(/<script[^>]*\ssrc="[^"]*?\/_next\/(static\/chunks\/[^"?]+\.js)/g)].map((m) => m[1]!))];
}

/** Subscribes as a browser does, to `paths`, and stays connected (no request after it subscribes). */
const hmrEvents: { at: number; type: string }[] = [];
function subscriber(paths: string[]): Promise<{ answers: string[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace(/^http/, "ws")}/_next/hmr`);
    const answers: string[] = [];
    socket.onerror = (e) => reject(new Error(String(e.message)));
    socket.onmessage = ({ data }) => {
      let message: { type?: string; data?: unknown };
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (message.type === "turbopack-connected") {
        const hmrVersion = (message.data as { hmrVersion?: string }).hmrVersion;
        for (const p of paths) socket.send(JSON.stringify({ type: "turbopack-subscribe", path: p, hmrVersion }));
        log(`subscribed to ${paths.length} paths`);
        resolve({ answers, close: () => socket.close() });
      } else if (message.type === "turbopack-message") {
        for (const u of message.data as { type: string; resource?: { path: string } }[]) {
          answers.push(`${u.type} ${u.resource?.path}`);
          log(`answer: ${u.type} ${u.resource?.path}`);
        }
      } else if (message.type) {
        hmrEvents.push({ at: Date.now(), type: message.type });
        log(`hmr message: ${message.type}`);
      }
    };
  });
}

function snapshots(since: number): string {
  return turbopackSnapshotTimes(distDir)
    .filter((t) => t >= since)
    .map((t) => ((t - t0) / 1000).toFixed(1))
    .join(", ");
}

const plan = process.argv[2] ?? "offset";
const offsetMs = Number(process.env.SNAP_OFFSET_MS ?? "3000");
console.log(`plan ${plan}, offset ${offsetMs}`);

await rm(path.join(distDir, "dev", "cache", "turbopack"), { recursive: true, force: true });
if (plan === "offset") {
  // Session 2 alone: /login compiled; a subscriber that then stays quiet; the idle timeout set so
  // the snapshot falls offsetMs after the subscription's work; /signup; its snapshots waited for.
  const server = await start({
    ...WITHOUT_CACHE_REPAIR_ENV,
    TURBO_ENGINE_SNAPSHOT_IDLE_TIMEOUT_MILLIS: String(offsetMs),
    TURBO_ENGINE_SNAPSHOT_MIN_ACTIVE_TIME_MILLIS: "0",
    ...(process.env.EXTRA_ENV ? JSON.parse(process.env.EXTRA_ENV) : {}),
  });
  const sessionStart = t0;
  try {
    const html = await get("/login");
    const scripts: string[] = [];
    for (const script of chunkScripts(html)) {
      const text = await (await fetch(`${origin}/_next/${script}`)).text();
      if (text.startsWith('(globalThis["TURBOPACK_CHUNK_LISTS"]')) scripts.push(script);
    }
    log(`chunk lists: ${scripts.join(" ")}`);
    await sleep(Number(process.env.AFTER_LOGIN_MS ?? "0"));
    const sub = await subscriber(scripts);
    const subscribedAt = Date.now();
    await sleep(offsetMs + 4000);
    log(`snapshots so far: ${snapshots(sessionStart)}; answers ${sub.answers.length}`);
    if (process.env.CLOSE_BEFORE_SIGNUP === "1") sub.close();
    const began = Date.now();
    await get("/signup");
    await untilSnapshotSettled(distDir, began, { quietMs: offsetMs + 5000, ms: 90_000 }).catch((e: Error) => log(e.message));
    log(`snapshots: ${snapshots(sessionStart)} (subscribed at ${((subscribedAt - sessionStart) / 1000).toFixed(1)})`);
    sub.close();
  } finally {
    await server.stop();
  }
}

if (plan === "kill") {
  // Session 2 alone, snapshots prompted (any idle gap of SNAP_IDLE_MS); killed with SIGKILL
  // KILL_DELAY_MS after the KILL_AT_BUILT-th "built" that /signup sets off.
  const server = await start({
    ...WITHOUT_CACHE_REPAIR_ENV,
    TURBO_ENGINE_SNAPSHOT_IDLE_TIMEOUT_MILLIS: process.env.SNAP_IDLE_MS ?? "100",
    TURBO_ENGINE_SNAPSHOT_MIN_ACTIVE_TIME_MILLIS: "0",
  });
  const sessionStart = t0;
  const html = await get("/login");
  const scripts: string[] = [];
  for (const script of chunkScripts(html)) {
    const text = await (await fetch(`${origin}/_next/${script}`)).text();
    if (text.startsWith('(globalThis["TURBOPACK_CHUNK_LISTS"]')) scripts.push(script);
  }
  log(`chunk lists: ${scripts.join(" ")}`);
  const sub = await subscriber(scripts);
  const subscribedAt = Date.now();
  await untilSnapshotSettled(distDir, subscribedAt, { quietMs: 4000, ms: 120_000 }).catch((e: Error) => log(e.message));
  if (process.env.CLOSE_BEFORE_SIGNUP === "1") {
    sub.close();
    log("subscriber closed");
    await sleep(2000);
  }
  log(`snapshots so far: ${snapshots(sessionStart)} (subscribed at ${((subscribedAt - sessionStart) / 1000).toFixed(1)})`);
  const from = hmrEvents.length;
  const began = Date.now();
  const signup = get("/signup").catch(() => "");
  const nth = Number(process.env.KILL_AT_BUILT ?? "1");
  if (nth === 0) {
    await signup;
    await untilSnapshotSettled(distDir, Date.now(), { quietMs: 5000, ms: 60_000 }).catch((e: Error) => log(e.message));
  }
  while (hmrEvents.slice(from).filter((e) => e.type === "built").length < nth && Date.now() - began < 300_000) await sleep(20);
  await sleep(Number(process.env.KILL_DELAY_MS ?? "0"));
  log(`snapshots before the kill: ${snapshots(sessionStart)}`);
  // Resolves once the app no longer answers (startDevServer waits for it).
  await server.stop("SIGKILL");
  await signup;
  await sleep(3000);
  log(`snapshots after the kill: ${snapshots(sessionStart)}`);
}

const third = await start({ ...WITHOUT_CACHE_REPAIR_ENV });
try {
  const restart = await chunkListAnsweredRestart(origin);
  console.log(restart ? `LOOPS: ${restart}` : "HEALTHY");
} finally {
  await third.stop();
}
