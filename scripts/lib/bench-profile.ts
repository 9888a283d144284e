/**
 * BENCH_PROFILE=1 for `npm run bench:campaign` (and bench:api's bulk upsert): where a phase's time went. PostgreSQL's own
 * statement statistics (pg_stat_statements: calls, execution and planning time per statement),
 * the WAL it wrote by table and index and by record kind (pg_walinspect), what
 * the busy backends were waiting on (pg_stat_activity sampled every 20 ms: a row lock, the WAL
 * flush of a commit, the client, or running), and the CPU time of each process (this one, the
 * executor's or the API's; the outbox's; PostgreSQL's, its postmaster and every backend).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type postgres from "postgres";

export const PROFILE = process.env.BENCH_PROFILE === "1";

/** Server settings that make the statistics available (a preload needs a restart, so they are set at start). */
export function profileSettings(): Record<string, string> {
  if (!PROFILE) return {};
  const settings = {
    shared_preload_libraries: "pg_stat_statements",
    "pg_stat_statements.track": "all",
    // Planning too: a statement a trigger runs with EXECUTE is planned afresh every time.
    "pg_stat_statements.track_planning": "on",
    track_io_timing: "on",
  };
  // BENCH_EXPLAIN=1: plans of a sample of statements (auto_explain, with their actual times), on stderr (the server's log).
  if (process.env.BENCH_EXPLAIN !== "1") return settings;
  return {
    ...settings,
    shared_preload_libraries: "pg_stat_statements,auto_explain",
    "auto_explain.log_min_duration": "0",
    "auto_explain.sample_rate": "0.005",
    "auto_explain.log_analyze": "on",
    "auto_explain.log_buffers": "on",
    "auto_explain.log_nested_statements": "on",
    "auto_explain.log_triggers": "on",
  };
}

/** BENCH_PG_SETTINGS (`name=value,name=value`): other server settings to compare, given to the cluster at its start. */
export function benchPgSettings(): Record<string, string> {
  const pairs = (process.env.BENCH_PG_SETTINGS ?? "").split(",").filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => pair.split("=").map((part) => part.trim()) as [string, string]));
}

const TICKS = 100; // USER_HZ on Linux

function procTimes(pid: number): { own: number; children: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS };
  } catch {
    return null;
  }
}

/** CPU seconds of a process tree: the root, its reaped children and every live descendant. */
function treeCpu(root: number): number {
  const all = new Map<number, { own: number; children: number; ppid: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const t = procTimes(Number(entry));
    if (t) all.set(Number(entry), t);
  }
  let total = 0;
  const visit = (pid: number) => {
    const t = all.get(pid);
    if (!t) return;
    total += t.own + (pid === root ? t.children : 0);
    for (const [child, c] of all) if (c.ppid === pid) visit(child);
  };
  visit(root);
  return total;
}

/** PostgreSQL: the postmaster and its backends. */
const postgresCpu = (dataDir: string) => treeCpu(Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]));

export type PhaseProfile = { finish: () => Promise<void> };

/** Starts a phase: statistics reset, waits sampled, CPU counters read. `finish` prints what the phase cost. */
export async function startPhase(
  sql: postgres.Sql,
  o: {
    name: string;
    dataDir: string;
    /** The outbox's process, when the bench runs one. */
    outboxPid?: number;
    /** What this process is in the bench, for the CPU lines: the executor by default. */
    self?: string;
  },
): Promise<PhaseProfile> {
  if (!PROFILE) return { finish: async () => {} };
  await sql`create extension if not exists pg_stat_statements`;
  await sql`select pg_stat_statements_reset()`;
  // The outbox runs under tsx's CLI, which starts node as its child: its whole tree is counted.
  const cpu0 = { self: process.cpuUsage(), outbox: o.outboxPid ? treeCpu(o.outboxPid) : 0, pg: postgresCpu(o.dataDir) };
  // What does not move with the machine's speed: transactions committed and WAL written.
  const written0 = await writtenSoFar(sql);
  const t0 = performance.now();
  const waits = new Map<string, number>();
  let samples = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rows = await sql<{ what: string; n: number }[]>`
        select coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' (' || state || ')' as what, count(*)::int as n
        from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid() and state <> 'idle'
        group by 1`;
      samples++;
      for (const r of rows) waits.set(r.what, (waits.get(r.what) ?? 0) + r.n);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    finish: async () => {
      sampling = false;
      await sampler;
      const seconds = (performance.now() - t0) / 1000;
      const self = process.cpuUsage(cpu0.self);
      const outbox = o.outboxPid ? treeCpu(o.outboxPid) - cpu0.outbox : 0;
      const pg = postgresCpu(o.dataDir) - cpu0.pg;
      console.log(`\n[profile ${o.name}] ${seconds.toFixed(1)} s wall; CPU seconds:`);
      console.log(`  ${`${o.self ?? "executor"} (this process)`.padEnd(22)} ${((self.user + self.system) / 1e6).toFixed(1)}`);
      if (o.outboxPid) console.log(`  outbox process         ${outbox.toFixed(1)}`);
      console.log(`  postgresql             ${pg.toFixed(1)}`);
      const written = await writtenSoFar(sql);
      // Each of the sampler's looks below is a transaction of its own: not the phase's.
      const commits = written.commits - written0.commits - samples;
      const walMb = Number(written.walBytes - written0.walBytes) / 1e6;
      console.log(`  commits ${commits.toLocaleString()}, WAL ${walMb.toFixed(1)} MB (PostgreSQL's counters, flushed within a second)`);
      console.log(`  busy backends, average over ${samples} samples (what they wait on):`);
      for (const [what, n] of [...waits].sort((a, b) => b[1] - a[1]).slice(0, 12))
        console.log(`    ${(n / samples).toFixed(2).padStart(6)}  ${what}`);
      const top = await sql<{ calls: number; total: number; plan: number; mean: number; max: number; rows: number; query: string }[]>`
        select calls::int, total_exec_time::float8 as total, total_plan_time::float8 as plan, mean_exec_time::float8 as mean,
          max_exec_time::float8 as max, rows::int,
          regexp_replace(query, '\\s+', ' ', 'g') as query
        from pg_stat_statements order by total_exec_time + total_plan_time desc limit 25`;
      // The phase's WAL only: what the profile's own reads write after it is left out.
      await printWalBreakdown(sql, written0.lsn, written.lsn);
      console.log(`  statements by execution and planning time (ms):  total    plan   calls   mean     max  query`);
      for (const r of top)
        console.log(
          `    ${r.total.toFixed(0).padStart(8)} ${r.plan.toFixed(0).padStart(7)} ${String(r.calls).padStart(7)} ${r.mean.toFixed(3).padStart(7)} ${r.max.toFixed(1).padStart(7)}  ${r.query.slice(0, 150)}`,
        );
    },
  };
}

/** Transactions committed in this database and the WAL position, to take differences of. */
async function writtenSoFar(sql: postgres.Sql): Promise<{ commits: number; walBytes: bigint; lsn: string }> {
  // The counters of other backends reach pg_stat_database when they flush (at most a second late).
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const [row] = await sql<{ commits: string; wal: string; lsn: string }[]>`
    select (select xact_commit from pg_stat_database where datname = current_database())::text as commits,
      pg_wal_lsn_diff(lsn, '0/0')::text as wal, lsn::text
    from pg_current_wal_lsn() as lsn`;
  return { commits: Number(row!.commits), walBytes: BigInt(row!.wal.split(".")[0]!), lsn: row!.lsn };
}

/**
 * The WAL written between `from` and `to`, from PostgreSQL's own reading of it (pg_walinspect):
 * by the relation whose blocks it changed (tables and indexes, full-page images apart), the
 * busiest tables' records by kind, and all records by kind. What a change of the write path
 * saves, counted rather than timed.
 */
async function printWalBreakdown(sql: postgres.Sql, from: string, to: string): Promise<void> {
  await sql`create extension if not exists pg_walinspect`;
  // Read from the WAL once (seconds for a campaign's), into a table of this transaction's connection.
  await sql.begin(async (tx) => {
    await tx`
      create temp table wal_blocks on commit drop as
      select b.start_lsn, b.relfilenode, b.block_data_length, b.block_fpi_length, b.resource_manager || '/' || b.record_type as kind,
        c.oid::regclass::text as relation, c.relkind
      from pg_get_wal_block_info(${from}::pg_lsn, ${to}::pg_lsn, false) b
      left join pg_class c on c.relfilenode = b.relfilenode and b.reldatabase = (select oid from pg_database where datname = current_database())`;
    const rows = await tx<{ relation: string; records: number; data_mb: number; fpi_mb: number }[]>`
      select coalesce(relation, 'filenode ' || relfilenode) as relation, count(distinct start_lsn)::int as records,
        sum(block_data_length)::float8 / 1e6 as data_mb, sum(block_fpi_length)::float8 / 1e6 as fpi_mb
      from wal_blocks group by 1 order by sum(block_data_length + block_fpi_length) desc limit 30`;
    console.log(`  WAL by relation (block data and full-page images, MB; records):`);
    for (const r of rows)
      console.log(
        `    ${r.data_mb.toFixed(1).padStart(7)} ${r.fpi_mb.toFixed(1).padStart(6)} ${String(r.records).padStart(8)}  ${r.relation}`,
      );
    const tables = await tx<{ relation: string; kinds: string }[]>`
      with k as (select relation, kind, count(distinct start_lsn) as n from wal_blocks where relkind = 'r' group by 1, 2)
      select relation, string_agg(kind || ' ' || n, ', ' order by n desc) as kinds from k
      group by relation order by sum(n) desc limit 8`;
    console.log(`  WAL records of the busiest tables, by kind:`);
    for (const t of tables) console.log(`    ${t.relation}: ${t.kinds}`);
  });
  const kinds = await sql<{ kind: string; count: number; mb: number }[]>`
    select "resource_manager/record_type" as kind, count::int, combined_size::float8 / 1e6 as mb
    from pg_get_wal_stats(${from}::pg_lsn, ${to}::pg_lsn, true) order by combined_size desc limit 12`;
  console.log(`  WAL by record type (MB; records):`);
  for (const k of kinds) console.log(`    ${k.mb.toFixed(1).padStart(7)} ${String(k.count).padStart(8)}  ${k.kind}`);
}
