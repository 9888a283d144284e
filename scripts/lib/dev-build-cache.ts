import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { isLiveProcess } from "@/lib/local/live-process";

/**
 * Lets `next dev` finish stopping its server on Ctrl-C, SIGTERM and SIGHUP, so that the server
 * deletes its <distDir>/dev/lock and a clean stop is not taken for a killed run below.
 *
 * Why: Next.js 16.4.5's `next dev` passes the signal on to its server process and kills it with
 * SIGKILL 100 ms later (cli/next-dev.js: CHILD_EXIT_TIMEOUT_MS, read from NEXT_EXIT_TIMEOUT_MS).
 * The server deletes its lock at the end of its own clean-up (server/lib/start-server.js closes
 * the connections, then hot-reloader-turbopack.js runs Turbopack's exit handlers and unlocks),
 * which took 38 ms and 440 ms in two measured stops of a used app here: 2 of 8 Ctrl-C stops left
 * the lock, and the next start cleared the compile cache as if the app had crashed. Five seconds
 * stays under the ten the launcher gives Next before killing it (scripts/launch.ts, stopChild).
 */
export const NEXT_DEV_STOP_ENV = { NEXT_EXIT_TIMEOUT_MS: "5000" } as const;

/**
 * After a `next dev` that was killed (crash, out-of-memory kill, `kill -9`, a closed terminal),
 * clears Turbopack's persistent compile cache, and nothing else. Returns the notice to print.
 *
 * Why: the /login reload loop ("GET /login 200", "✓ Compiled in 1ms", repeated) is the dev
 * server answering a page's first HMR subscription to its shared chunk list with a "restart"
 * update, every time. In Next.js 16.4.5: the native binding turns an update that is Missing or
 * Total (the chunk list not found in Turbopack's map of this session's outputs when the
 * subscription's baseline was taken) into `{"type":"restart"}`; hot-reloader-turbopack.js
 * (subscribeToClientHmrEvents) forwards a first answer that is not issues-only to the browser
 * (vercel/next.js#98385; before it, that first answer was dropped), which reloads the page; and
 * forwarding it raises the server's HMR version, so every other subscription still carrying the
 * page's version is answered "HMR hash mismatch" (another reload). The reloaded page subscribes
 * again and gets "restart" again. It was met after killed runs (2 restarts in 10 after `kill -9`
 * in issue 9, e2e servers Playwright had killed, 1 in 8 SIGKILL cycles of
 * scripts/restart-cycles.ts, always for static/chunks/<app runtime>._.js) and once after
 * next-env.d.ts was rewritten under a starting server; why Turbopack restored a state without
 * that chunk list was not pinned down. With the per-start changes since removed (keys, Tailwind
 * sources, next-env.d.ts), 10 kill-and-restart cycles without this repair met no "restart" at
 * all, so the repair is kept as a guard for a crash, not as a proven fix. The cache of a clean
 * stop is kept: it is what makes the next start fast.
 *
 * How a killed run is known: `next dev` holds <distDir>/dev/lock while it runs and deletes it
 * when it exits normally; a lock left behind naming a process that is not a live Next.js server
 * was left by a killed one.
 */
export async function clearCacheOfKilledDevServer(distDir: string): Promise<string | null> {
  const lock = path.join(distDir, "dev", "lock");
  let pid: number;
  try {
    pid = Number((JSON.parse(readFileSync(lock, "utf8")) as { pid?: unknown }).pid);
  } catch {
    return null; // no lock (a clean stop, or a first start), or one we cannot read: leave it to Next
  }
  if (isLiveProcess(pid, /next/)) return null;
  const cache = path.join(distDir, "dev", "cache", "turbopack");
  await rm(cache, { recursive: true, force: true });
  await rm(lock, { force: true });
  return `The last \`next dev\` here did not stop cleanly: cleared its compile cache (${path.relative(process.cwd(), cache)}), so pages compile afresh this once.`;
}
