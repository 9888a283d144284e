import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { isLiveProcess } from "@/lib/local/live-process";

/**
 * After a `next dev` that was killed (crash, out-of-memory kill, `kill -9`, a closed terminal),
 * clears Turbopack's persistent compile cache, and nothing else. Returns the notice to print.
 *
 * Why: with Next.js 16.4.5 (Turbopack, persistent dev cache on by default), a server started on
 * the cache of a killed one can answer the browser's HMR subscription to the app's shared
 * runtime chunk list with a "restart" update each time a page is served; the page reloads,
 * asks again, gets "restart" again: /login reloads for ever ("GET /login 200", "✓ Compiled in
 * 1ms", repeated), and two open pages keep reloading each other. It was met after killed runs
 * only: 2 restarts in 10 after `kill -9` in issue 9 (none after Ctrl-C), e2e runs whose server
 * Playwright had killed, and 1 in 8 SIGKILL cycles of scripts/restart-cycles.ts, where the
 * server sent `{"type":"restart"}` for static/chunks/<app runtime>._.js on every subscription
 * while a tab left open and /login alternated. The upstream fault is in Turbopack's restore of a
 * cache whose writer died mid-session (not pinned down further here). The cache of a clean stop
 * is kept: it is what makes the next start fast.
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
