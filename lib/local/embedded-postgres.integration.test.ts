import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openPostgres } from "@/db/postgres-target";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EnvError } from "@/lib/env";
import { readPostmasterPid } from "./cluster-state";
import { isLiveProcess } from "./live-process";
import { startEmbeddedPostgres, type EmbeddedCluster } from "./embedded-postgres";
import { durableClusterSettings } from "./cluster-settings";
import { freePort } from "./free-port";

/** Real PostgreSQL data directories in the states a killed or upgraded app leaves behind. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function tempClusterDir(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "lip-restart-pg-"));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  // embedded-postgres chowns the cluster dir to the postgres user, which must reach it.
  await chmod(root, 0o755);
  return path.join(root, "postgres");
}

async function started(dataDir: string, port: number): Promise<EmbeddedCluster> {
  const cluster = await startEmbeddedPostgres({ dataDir, port, database: "lip_restart" });
  cleanups.push(() => cluster.stop());
  return cluster;
}

/**
 * A process that is not PostgreSQL, alive for the test: the PID a killed server's file may name
 * after reuse. It runs as the server's own user (the owner of its data directory), the case
 * PostgreSQL cannot tell from a live server: another user's process it would ignore.
 */
function someOtherProcess(dataDir: string): ChildProcess {
  const child = spawn("sleep", ["60"], { stdio: "ignore", uid: statSync(dataDir).uid });
  cleanups.push(async () => child.kill("SIGKILL"));
  return child;
}

describe("embedded PostgreSQL after an unclean stop", () => {
  it("starts on a data directory whose postmaster.pid names a live process that is not PostgreSQL, with a one-line notice", async () => {
    const dataDir = await tempClusterDir();
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, database: "lip_restart" });
    const sql = openPostgres(first.url, { max: 1, onnotice: () => {} });
    await sql`create table kept (note text)`;
    await sql`insert into kept values ('written before the crash')`;
    await sql.end();

    // A crash: the server is killed and leaves its postmaster.pid; its PID then goes to another program.
    const lock = readPostmasterPid(dataDir)!;
    process.kill(lock.pid, "SIGKILL");
    await first.stop(); // returns once the killed server has exited (it cannot shut down now)
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(true);
    const reused = someOtherProcess(dataDir);
    const text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8");
    await writeFile(path.join(dataDir, "postmaster.pid"), text.replace(/^\d+/, String(reused.pid)));
    // Its Unix socket's lock file names the same PID (PostgreSQL refuses to start while it is live).
    const socketLock = path.join(dataDir, `.s.PGSQL.${port}.lock`);
    await writeFile(socketLock, (await readFile(socketLock, "utf8")).replace(/^\d+/, String(reused.pid)));

    const notices = vi.spyOn(console, "log").mockImplementation(() => {});
    const again = await started(dataDir, port);
    expect(notices.mock.calls.map(([line]) => String(line))).toEqual([
      expect.stringMatching(/not shut down cleanly.*stale postmaster\.pid/),
    ]);
    const check = openPostgres(again.url, { max: 1, onnotice: () => {} });
    expect(await check`select note from kept`).toEqual([{ note: "written before the crash" }]);
    // Reached over the socket in its data directory (no client address), not TCP.
    expect(await check`select client_addr from pg_stat_activity where pid = pg_backend_pid()`).toEqual([{ client_addr: null }]);
    await check.end();
  });

  it("leaves a running server's data directory alone", async () => {
    const dataDir = await tempClusterDir();
    const port = await freePort();
    await started(dataDir, port);
    const error = await startEmbeddedPostgres({ dataDir, port: await freePort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toMatch(/already running on .*with port \d+/);
  });
});

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const processGroup = (pid: number) => Number(execFileSync("ps", ["-o", "pgid=", "-p", String(pid)], { encoding: "utf8" }).trim());

describe("the launcher's cluster, in a process group of its own", () => {
  it("is out of reach of the launcher's group, and shuts down cleanly when the launcher is killed", async () => {
    const dataDir = await tempClusterDir();
    const owner = fork(path.resolve(import.meta.dirname, "testing/cluster-owner.ts"), [dataDir, String(await freePort())], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      detached: true, // as a terminal starts `npm run dev`: a group of its own
    });
    cleanups.push(async () => owner.kill("SIGKILL"));
    await new Promise((resolve, reject) => owner.once("message", resolve).once("exit", reject));
    const server = readPostmasterPid(dataDir)!.pid;
    expect(processGroup(server)).not.toBe(processGroup(owner.pid!));

    process.kill(-owner.pid!, "SIGKILL"); // kill -9 of the launcher's group: the server is not in it
    await until(() => !isLiveProcess(server, /postgres/), 20_000, "the server ending after its launcher was killed");
    // A fast shutdown, not a crash: PostgreSQL removed its postmaster.pid itself.
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
  });

  it("waits for a server that is still shutting down before it starts on the same data", async () => {
    const dataDir = await tempClusterDir();
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, database: "lip_restart" });
    // A smart shutdown waits for its clients: "stopping" for as long as this one stays connected.
    const client = openPostgres(first.url, { max: 1, onnotice: () => {} });
    await client`select 1`;
    const server = readPostmasterPid(dataDir)!.pid;
    process.kill(server, "SIGTERM");
    await until(() => readPostmasterPid(dataDir)?.stopping === true, 10_000, "the server saying it is stopping");

    let settled = false;
    const second = startEmbeddedPostgres({ dataDir, port, database: "lip_restart" }).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(settled).toBe(false);
    await client.end();
    const again = await second;
    cleanups.push(() => again.stop());
    await first.stop();
    const check = openPostgres(again.url, { max: 1, onnotice: () => {} });
    expect(await check`select 1 as up`).toEqual([{ up: 1 }]);
    await check.end();
  });
});

describe("a data directory PostgreSQL cannot open", () => {
  it("from another major version is refused with what to do, and nothing is deleted", async () => {
    const dataDir = await tempClusterDir();
    await mkdir(path.join(dataDir, "base"), { recursive: true });
    await writeFile(path.join(dataDir, "PG_VERSION"), "17\n");
    await writeFile(path.join(dataDir, "base", "precious"), "data");

    const error = await startEmbeddedPostgres({ dataDir, port: await freePort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toMatch(/created by PostgreSQL 17; this app now runs PostgreSQL 18/);
    expect((error as Error).message).toMatch(/npm run db:reset/);
    expect(await readFile(path.join(dataDir, "base", "precious"), "utf8")).toBe("data");
  });

  it("that PostgreSQL refuses for another reason gets PostgreSQL's own words and is kept", async () => {
    const dataDir = await tempClusterDir();
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, "PG_VERSION"), "18\n"); // a version file and nothing else: not a cluster

    const error = await startEmbeddedPostgres({ dataDir, port: await freePort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toMatch(/PostgreSQL refused to start on .*\n {2}.*could not access the server configuration file/);
    expect((error as Error).message).toMatch(/Nothing was deleted/);
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
  });
});

describe("the app's database settings", () => {
  it("starts a durable cluster with the managed settings, and an ALTER SYSTEM of the operator still wins", async () => {
    const dataDir = await tempClusterDir();
    const port = await freePort();
    const expected = durableClusterSettings();
    const show = async (url: string) => {
      const sql = openPostgres(url, { max: 1, onnotice: () => {} });
      try {
        const rows = await sql<{ name: string; setting: string; unit: string | null }[]>`
          select name, setting, unit from pg_settings where name in ('shared_buffers', 'max_wal_size', 'checkpoint_timeout')`;
        return Object.fromEntries(rows.map((r) => [r.name, r]));
      } finally {
        await sql.end();
      }
    };
    const first = await startEmbeddedPostgres({ dataDir, port, database: "lip_settings" });
    const seen = await show(first.url);
    // shared_buffers counts 8 kB pages, max_wal_size MB, checkpoint_timeout seconds.
    expect(Number(seen.shared_buffers!.setting) * 8).toBe(parseInt(expected.shared_buffers!, 10) * 1024);
    expect(Number(seen.max_wal_size!.setting)).toBe(4096);
    expect(Number(seen.checkpoint_timeout!.setting)).toBe(15 * 60);
    const admin = openPostgres(first.url, { max: 1, onnotice: () => {} });
    await admin`alter system set max_wal_size = '2GB'`;
    await admin.end();
    await first.stop();

    const again = await started(dataDir, port);
    expect(Number((await show(again.url)).max_wal_size!.setting)).toBe(2048);
    expect((await readFile(path.join(dataDir, "postgresql.conf"), "utf8")).match(/managed settings/g)).toHaveLength(1);
  });
});
