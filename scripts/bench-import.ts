/**
 * `npm run bench:import`: CSV imports into a workspace that already holds a million leads
 * (issue 11, "Benchmark").
 *
 *   1. Data: BENCH_LEADS (1,000,000) leads and 100,000 companies in one workspace, with every
 *      index of the leads table and RLS on, in its own embedded PostgreSQL (.data/bench-import,
 *      BENCH_PG_PORT 5902, the launcher's durable settings, not a test cluster's fsync=off).
 *   2. Files: Apollo.io exports (newer layout) of 100,000 and 1,000,000 rows, generated to disk
 *      (scripts/lib/bench-import-file.ts): accents, quoted commas and line breaks, 5 % invalid
 *      rows, 5 % duplicates, the four expected counts known from how each row was made.
 *   3. The floor: a plain COPY of the leads each file should produce into the same leads table
 *      (same indexes, triggers and database), in a transaction that is rolled back.
 *   4. With --index-cost, on the first file: what each of the leads' indexes adds to its COPY
 *      (each alone on top of the constraint indexes, every run rolled back), and the trigram
 *      GIN's storage options.
 *   5. The import as a user runs it: `npm start` of a production build (BENCH_APP_PORT 4502),
 *      sign in, upload over HTTP to POST /api/imports, start it, wait until it completes;
 *      end-to-end seconds, rows/s, the counts against the expected ones, and the peak memory
 *      of the app's processes (the launcher, which runs the job executor, and Next).
 *
 * BENCH_IMPORT_ROWS=100000 (or --quick) runs one file of that size (a list runs several);
 * --no-app stops after the floor (and the index costs). BENCH_SKIP_BUILD=1 reuses the last
 * build in .next-bench; BENCH_DATA_DIR, BENCH_PG_PORT and BENCH_APP_PORT let two runs work
 * side by side. BENCH_REUSE=1 loads the workspace once and starts later runs from a copy of it
 * (see PREPARED); BENCH_PG_LOG=<file> keeps the server's log (with BENCH_PG_SETTINGS
 * `log_min_duration_statement=0`, every statement's time: the stage breakdown of an import).
 * The last line printed is one JSON object with the headline figures. The
 * machine is shared: figures measured while others run tests are pessimistic, and the load
 * average is printed beside them.
 */
import { appendFileSync, createReadStream, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { openPostgres } from "@/db/postgres-target";
import { closeAllPools } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { createBenchWorkspace, dropLeadIndexes, insertCompanies, insertLeads, type BenchWorkspace } from "./lib/bench-leads-data";
import { FLOOR_COLUMNS, writeApolloFile, type WrittenFile } from "./lib/bench-import-file";
import { measureIndexCost } from "./lib/bench-import-index-cost";
import { BenchApp, type HttpImport } from "./lib/bench-import-http";
import { startImportAsAdmin } from "./lib/bench-import-start";
import { benchPgSettings } from "./lib/bench-profile";
import { cleanUpOnce } from "./lib/stop-on-signal";

const args = new Set(process.argv.slice(2));
const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const SIZES = (process.env.BENCH_IMPORT_ROWS ?? (args.has("--quick") ? "100000" : "100000,1000000")).split(",").map(Number);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 5902);
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 4502);
const DATA_DIR = path.resolve(process.env.BENCH_DATA_DIR ?? ".data/bench-import");
const FILES = path.join(DATA_DIR, "files");
const WITH_APP = !args.has("--no-app");
const INDEX_COST = args.has("--index-cost");
/**
 * BENCH_REUSE=1: the workspace of BENCH_LEADS leads is loaded once and its cluster copied to
 * <data dir>.prepared-<leads> (stopped, so the copy is consistent); later runs start from a copy
 * of that copy instead of loading a million leads again, so runs before and after a change
 * start from the same database minutes apart.
 */
const PREPARED = process.env.BENCH_REUSE === "1" ? `${DATA_DIR}.prepared-${LEADS}` : null;

type Result = { rows: number; file: WrittenFile; floorMs: number; http: HttpImport | null };

async function main(): Promise<void> {
  await rm(DATA_DIR, { recursive: true, force: true });
  const reused = PREPARED !== null && existsSync(path.join(PREPARED, "workspace.json"));
  if (reused) {
    const t = performance.now();
    copyPreserving(PREPARED, DATA_DIR);
    console.log(`Prepared cluster copied from ${PREPARED} in ${s(performance.now() - t)}.`);
  }
  await mkdir(FILES, { recursive: true });
  let cluster = await startCluster();
  let sql = openPostgres(cluster.url, { max: 4, onnotice: () => {}, prepare: false });
  // The cluster and its connection as they are when it runs (the preparation starts them again).
  const cleanUp = cleanUpOnce(async () => {
    await sql.end({ timeout: 5 });
    await closeAllPools();
    await cluster.stop();
    if (process.env.BENCH_KEEP_DATA !== "1") await rm(DATA_DIR, { recursive: true, force: true });
  });
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    console.log(`PostgreSQL 18 (embedded, the launcher's settings) on port ${PG_PORT}; ${os.cpus().length} CPUs; load ${load()}.`);
    let ws: BenchWorkspace;
    if (reused) {
      ws = JSON.parse(await readFile(path.join(PREPARED, "workspace.json"), "utf8")) as BenchWorkspace;
      console.log(`Workspace "Bench Import": ${LEADS.toLocaleString()} leads as prepared (BENCH_REUSE=1).`);
    } else {
      ws = await loadWorkspace(sql);
      if (PREPARED !== null) {
        await sql.end({ timeout: 5 });
        await cluster.stop();
        await rm(PREPARED, { recursive: true, force: true });
        await mkdir(PREPARED, { recursive: true });
        copyPreserving(path.join(DATA_DIR, "postgres"), path.join(PREPARED, "postgres"));
        await writeFile(path.join(PREPARED, "workspace.json"), JSON.stringify(ws));
        console.log(`Prepared cluster kept in ${PREPARED} for the next runs (BENCH_REUSE=1).`);
        cluster = await startCluster();
        sql = openPostgres(cluster.url, { max: 4, onnotice: () => {}, prepare: false });
      }
    }

    const results: Result[] = [];
    const app = WITH_APP
      ? await BenchApp.start({ ws, appPort: APP_PORT, pgPort: PG_PORT, dataDir: DATA_DIR, databaseUrl: cluster.url, log: console.log })
      : null;
    try {
      for (const [n, rows] of SIZES.entries()) {
        const file = await generate(rows, n + 1, ws.id);
        // BENCH_SKIP_FLOOR=1 leaves the floor to another run (it takes as long as a third of the import).
        let floorMs = NaN;
        if (process.env.BENCH_SKIP_FLOOR !== "1") {
          await settle(sql);
          floorMs = await copyFloor(sql, file);
          console.log(
            `  COPY floor: ${file.expected.inserted.toLocaleString()} leads in ${s(floorMs)} (${rate(file.expected.inserted, floorMs)} rows/s), rolled back; load ${load()}`,
          );
        }
        // On the first (smallest) file: a run per index and per GIN option, each a COPY of its rows.
        if (INDEX_COST && n === 0) {
          await settle(sql);
          await measureIndexCost(sql, floorPathOf(file), floorColumns());
        }
        if (app) await settle(sql);
        const http = app ? await app.importFile(sql, file, startImportAsAdmin(ws), console.log) : null;
        if (http) printImport(http, file, floorMs);
        results.push({ rows, file, floorMs, http });
      }
    } finally {
      await app?.stop();
    }
    printSummary(results);
  } finally {
    await cleanUp();
  }
}

/**
 * The bench's cluster, with BENCH_PG_SETTINGS (`shared_buffers=1GB,max_wal_size=4GB`) written
 * by ALTER SYSTEM and the cluster restarted to apply them: to compare the launcher's settings
 * with others on the same data.
 */
async function startCluster() {
  // BENCH_PG_LOG=<file>: the server's log (with log_min_duration_statement=0 in BENCH_PG_SETTINGS, every statement's time).
  const logFile = process.env.BENCH_PG_LOG;
  const log = logFile ? (message: string) => appendFileSync(logFile, message.endsWith("\n") ? message : `${message}\n`) : undefined;
  const options = { dataDir: path.join(DATA_DIR, "postgres"), port: PG_PORT, database: "lip", log };
  const settings = Object.entries(benchPgSettings());
  const first = await startEmbeddedPostgres(options);
  if (settings.length === 0) return first;
  const admin = openPostgres(first.url, { max: 1, onnotice: () => {} });
  for (const [name, value] of settings) await admin.unsafe(`alter system set ${name} = '${value.replace(/'/g, "''")}'`);
  await admin.end();
  await first.stop();
  const cluster = await startEmbeddedPostgres(options);
  console.log(`PostgreSQL settings changed for this run: ${settings.map(([name, value]) => `${name}=${value}`).join(", ")}`);
  return cluster;
}

async function loadWorkspace(sql: postgres.Sql): Promise<BenchWorkspace> {
  const t0 = performance.now();
  const ws = await createBenchWorkspace(sql, "Bench Import", "bench-import", 4);
  const conn = await sql.reserve();
  try {
    await conn`set maintenance_work_mem = '512MB'`;
    await conn`set max_parallel_maintenance_workers = 1`;
    const indexes = await dropLeadIndexes(conn);
    await conn`set session_replication_role = replica`;
    await insertCompanies(conn, ws.id, Math.round(LEADS / 10));
    await insertLeads(conn, ws, LEADS);
    await conn`set session_replication_role = origin`;
    for (const def of indexes) await conn.unsafe(def);
    await conn`vacuum analyze public.leads`;
    await conn`vacuum analyze public.companies`;
  } finally {
    conn.release();
  }
  const [size] = await sql<{ table: string; indexes: string; n: number }[]>`
    select pg_size_pretty(pg_table_size('public.leads')) as table, pg_size_pretty(pg_indexes_size('public.leads')) as indexes,
      (select count(*)::int from pg_index where indrelid = 'public.leads'::regclass) as n`;
  console.log(
    `Workspace "Bench Import": ${LEADS.toLocaleString()} leads, ${Math.round(LEADS / 10).toLocaleString()} companies, ready in ${s(performance.now() - t0)} ` +
      `(leads: table ${size!.table}, ${size!.n} indexes ${size!.indexes}).`,
  );
  return ws;
}

/** `cp -a`: the cluster's files keep their owner (the server runs as a `postgres` OS user when the bench runs as root) and modes. */
function copyPreserving(from: string, to: string): void {
  execFileSync("cp", ["-a", from, to]);
}

const floorPathOf = (file: WrittenFile) => file.path.replace(/\.csv$/, ".floor.csv");
const floorColumns = () => ["workspace_id", "source", ...FLOOR_COLUMNS];

async function generate(rows: number, seed: number, workspaceId: string): Promise<WrittenFile> {
  const t = performance.now();
  const filePath = path.join(FILES, `apollo-${rows}.csv`);
  const file = await writeApolloFile({
    path: filePath,
    floorPath: filePath.replace(/\.csv$/, ".floor.csv"),
    floorPrefix: [workspaceId, "csv"],
    rows,
    seed,
  });
  const e = file.expected;
  console.log(
    `\n${rows.toLocaleString()} rows: Apollo export of ${(file.bytes / 1024 / 1024).toFixed(1)} MB written in ${s(performance.now() - t)}; ` +
      `expected inserted ${e.inserted.toLocaleString()}, updated ${e.updated}, skipped ${e.skipped.toLocaleString()} (duplicates in the file), ` +
      `failed ${e.failed.toLocaleString()} (invalid email or no identity).`,
  );
  return file;
}

/**
 * Before each measured phase: the dead rows of a rolled-back COPY vacuumed, and a checkpoint, so
 * that the floor and the import start from the same state whatever ran before them: right after
 * the load of a million leads (gigabytes of WAL, every index built) the checkpoints that load owes
 * otherwise fall inside whichever phase comes next, and a run started from BENCH_REUSE's cleanly
 * stopped copy owes none.
 */
async function settle(sql: postgres.Sql): Promise<void> {
  await sql`vacuum public.leads`;
  await sql`checkpoint`;
}

/** COPY of the leads the file should produce, into the leads table as it stands, rolled back. */
async function copyFloor(sql: postgres.Sql, file: WrittenFile): Promise<number> {
  const conn = await sql.reserve();
  try {
    await conn`begin`;
    const t = performance.now();
    const columns = floorColumns()
      .map((c) => `"${c}"`)
      .join(", ");
    await pipeline(
      createReadStream(floorPathOf(file)),
      await conn.unsafe(`copy public.leads (${columns}) from stdin (format csv)`).writable(),
    );
    const ms = performance.now() - t;
    await conn`rollback`;
    return ms;
  } finally {
    conn.release();
  }
}

function printImport(h: HttpImport, file: WrittenFile, floorMs: number): void {
  const c = h.counts;
  const e = file.expected;
  console.log(
    `  import over HTTP: ${h.status} in ${s(h.totalMs)} end to end (upload ${s(h.uploadMs)}, then the job ${s(h.jobMs)}), ` +
      `${rate(e.rows, h.totalMs)} rows/s${timesFloor(h.totalMs, floorMs)}; load ${load()}`,
  );
  console.log(
    `  counts: inserted ${c.inserted.toLocaleString()}, updated ${c.updated}, skipped ${c.skipped.toLocaleString()}, failed ${c.failed.toLocaleString()} of ${c.rows.toLocaleString()} ` +
      (h.countsExact
        ? "(exactly as generated)"
        : `— NOT as generated (inserted ${e.inserted}, updated ${e.updated}, skipped ${e.skipped}, failed ${e.failed} of ${e.rows})`),
  );
  console.log(
    `  memory: the app's processes together peaked at ${mb(h.treePeakKb)}; each at its largest: ` +
      h.processes
        .filter((p) => p.rssKb > 20 * 1024)
        .map((p) => `${p.name} ${mb(p.rssKb)} (VmHWM ${mb(p.hwmKb)})`)
        .join(", "),
  );
}

function printSummary(results: Result[]): void {
  console.log(`\nSummary (load average now ${load()}; the machine is shared, so these are pessimistic when it is busy):`);
  for (const r of results) {
    const h = r.http;
    console.log(
      `  ${r.rows.toLocaleString().padStart(9)} rows: floor ${Number.isNaN(r.floorMs) ? "not measured" : s(r.floorMs)}` +
        (h
          ? `; import ${s(h.totalMs)} end to end (upload ${s(h.uploadMs)}, job ${s(h.jobMs)}), ${rate(r.rows, h.totalMs)} rows/s` +
            `${timesFloor(h.totalMs, r.floorMs)}; peak RSS ${mb(h.peakProcessKb)} (largest process), counts ${h.countsExact ? "exact" : "NOT exact"}`
          : "; import over HTTP not run"),
    );
  }
  const big = results.find((r) => r.rows === 1_000_000);
  const small = results.find((r) => r.rows === 100_000);
  const http = results.flatMap((r) => (r.http ? [r.http] : []));
  const round1 = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);
  console.log(
    JSON.stringify({
      rows_1m_s: round1(big?.http ? big.http.totalMs / 1000 : undefined),
      rows_100k_s: round1(small?.http ? small.http.totalMs / 1000 : undefined),
      ratio_to_copy: big?.http && !Number.isNaN(big.floorMs) ? Math.round((big.http.totalMs / big.floorMs) * 100) / 100 : null,
      peak_rss_mb: http.length ? Math.round(Math.max(...http.map((h) => h.peakProcessKb)) / 1024) : null,
      copy_floor_1m_s: round1(big && !Number.isNaN(big.floorMs) ? big.floorMs / 1000 : undefined),
      counts_exact: http.length > 0 && http.length === results.length && http.every((h) => h.countsExact),
    }),
  );
}

const timesFloor = (ms: number, floorMs: number) => (Number.isNaN(floorMs) ? "" : `, ${(ms / floorMs).toFixed(2)}× the floor`);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
