import { createReadStream, readFileSync } from "node:fs";
import os from "node:os";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";

/**
 * What each index of the leads table costs a bulk COPY into it (EXPLAIN says nothing about
 * COPY). Every run is one transaction that is rolled back: drop the secondary indexes that are
 * not being measured (DROP INDEX is transactional, the dropped ones come back untouched), COPY
 * the same rows, roll back. An index's cost is its run minus the run with none of them (only
 * the primary key and the (workspace_id, id) constraint, which every run keeps); the run with
 * all of them is the floor as the import sees it. The trigram GIN is then timed under the
 * storage options an import could use (fastupdate, gin_pending_list_limit).
 *
 * Each run is timed twice: wall clock, and the CPU time of the PostgreSQL backend that ran
 * the COPY (/proc/<pid>/stat, user + system): on a shared machine the wall clock moves with
 * everyone else's load, the backend's own CPU time much less.
 *
 * Rolled-back rows stay behind as dead tuples until VACUUM; each run appends after them, so
 * the runs see the same table and indexes, only a longer heap.
 */

type Index = { name: string; def: string };
/** Milliseconds of one run: wall clock and backend CPU, of the COPY and of what ran after it. */
type Run = { copy: number; after: number; copyCpu: number; afterCpu: number };
const minus = (run: Run, base: Run): Run => ({ ...run, copy: run.copy - base.copy, copyCpu: run.copyCpu - base.copyCpu });

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
const GIN = "leads_search_trgm_idx";

export async function measureIndexCost(sql: postgres.Sql, floorPath: string, columns: string[]): Promise<void> {
  const indexes = await sql<Index[]>`
    select i.relname as name, pg_get_indexdef(i.oid) as def
    from pg_index x join pg_class i on i.oid = x.indexrelid
    where x.indrelid = 'public.leads'::regclass and not exists (select 1 from pg_constraint c where c.conindid = i.oid)
    order by i.relname`;
  const [{ rows } = { rows: 0 }] = await sql<{ rows: number }[]>`select count(*)::int as rows from public.leads`;
  const copyRows = await countLines(floorPath);
  console.log(
    `\nIndex cost: COPY of ${copyRows.toLocaleString()} leads into the table of ${rows.toLocaleString()}, each run rolled back; load ${load()}.`,
  );
  const copy = `copy public.leads (${columns.map((c) => `"${c}"`).join(", ")}) from stdin (format csv)`;

  /**
   * One rolled-back COPY with only `keep` of the secondary indexes, after `setup` statements;
   * `after` runs once the COPY is done and is timed apart (the GIN's pending list flushed).
   */
  const timeRun = async (keep: Set<string>, setup: string[] = [], after: string[] = []): Promise<Run> => {
    const conn = await sql.reserve();
    try {
      const [{ pid } = { pid: 0 }] = await conn<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await conn`begin`;
      for (const i of indexes) if (!keep.has(i.name)) await conn.unsafe(`drop index public."${i.name}"`);
      for (const statement of setup) await conn.unsafe(statement);
      const c = cpuMs(pid);
      const t = performance.now();
      await pipeline(createReadStream(floorPath), await conn.unsafe(copy).writable());
      const t2 = performance.now();
      const c2 = cpuMs(pid);
      for (const statement of after) await conn.unsafe(statement);
      const t3 = performance.now();
      const c3 = cpuMs(pid);
      await conn`rollback`;
      return { copy: t2 - t, after: t3 - t2, copyCpu: c2 - c, afterCpu: c3 - c2 };
    } finally {
      conn.release();
    }
  };
  const timeCopy = (keep: Set<string>) => timeRun(keep);

  // A warm-up, then each index's run right after a base run (the machine is shared: load
  // drifts, and a pair measured together sees the same load).
  await timeCopy(new Set());
  const all = await timeCopy(new Set(indexes.map((i) => i.name)));
  const bases: Run[] = [];
  const costs: [string, Run][] = [];
  for (const i of indexes) {
    const base = await timeCopy(new Set());
    const run = await timeCopy(new Set([i.name]));
    bases.push(base);
    costs.push([i.name, minus(run, base)]);
    console.log(
      `  + ${i.name.padEnd(36)} CPU ${s(run.copyCpu - base.copyCpu).padStart(7)}, wall ${s(run.copy - base.copy).padStart(7)}  (base run CPU ${s(base.copyCpu)}, wall ${s(base.copy)}; load ${load()})`,
    );
  }
  const none = bases.map((b) => b.copyCpu).sort((a, b) => a - b)[Math.floor(bases.length / 2)]!;
  const noneWall = median(bases.map((b) => b.copy));
  const sum = costs.reduce((t, [, r]) => t + r.copyCpu, 0);
  console.log(
    `  constraint indexes only (pkey, workspace_id+id): median CPU ${s(none)}, wall ${s(noneWall)} (${rate(copyRows, noneWall)} rows/s; wall from ${s(Math.min(...bases.map((b) => b.copy)))} to ${s(Math.max(...bases.map((b) => b.copy)))})\n` +
      `  every index (${indexes.length + 2}): CPU ${s(all.copyCpu)}, wall ${s(all.copy)} (${rate(copyRows, all.copy)} rows/s); the indexes' CPU ${s(all.copyCpu - none)}, the sum of their separate CPU costs ${s(sum)}`,
  );
  const sorted = [...costs].sort((a, b) => b[1].copyCpu - a[1].copyCpu);
  console.log(
    `  largest by CPU: ${sorted
      .slice(0, 8)
      .map(([n, r]) => `${n} ${Math.round((100 * r.copyCpu) / sum)} %`)
      .join(", ")}`,
  );

  if (!indexes.some((i) => i.name === GIN)) return;
  // A pending list larger than the COPY defers the index's work rather than saving it: the
  // flush (what VACUUM or the next insert past the limit would pay) is timed after each COPY.
  console.log(`\nThe trigram GIN alone (on top of the constraint indexes), by storage option and shape: COPY + flush of its pending list`);
  const flush = [`select gin_clean_pending_list('public.${GIN}'::regclass)`];
  const [def] = await sql<{ reloptions: string[] | null }[]>`select reloptions from pg_class where relname = ${GIN}`;
  const variants: [string, string[], string[]][] = [
    [`as defined (${def?.reloptions?.join(", ") ?? "defaults: fastupdate on, 4 MB"})`, [], flush],
    ["fastupdate = off", [`alter index public.${GIN} set (fastupdate = off)`], []],
    ["fastupdate = on, pending list 4 MB", [`alter index public.${GIN} set (fastupdate = on, gin_pending_list_limit = 4096)`], flush],
    ["fastupdate = on, pending list 32 MB", [`alter index public.${GIN} set (fastupdate = on, gin_pending_list_limit = 32768)`], flush],
    ["fastupdate = on, pending list 256 MB", [`alter index public.${GIN} set (fastupdate = on, gin_pending_list_limit = 262144)`], flush],
    [
      "search_text only (no workspace_id key)",
      [`drop index public.${GIN}`, `create index bench_search_only on public.leads using gin (search_text extensions.gin_trgm_ops)`],
      [`select gin_clean_pending_list('public.bench_search_only'::regclass)`],
    ],
  ];
  for (const [name, setup, after] of variants) {
    const base = await timeCopy(new Set());
    const run = minus(await timeRun(new Set([GIN]), setup, after), base);
    console.log(
      `  ${name.padEnd(48)} CPU: COPY +${s(run.copyCpu).padStart(7)}, flush ${s(run.afterCpu).padStart(6)}, together +${s(run.copyCpu + run.afterCpu).padStart(7)}; ` +
        `wall: together +${s(run.copy + run.after)}  (load ${load()})`,
    );
  }
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file)) for (const byte of chunk as Buffer) if (byte === 10) n++;
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
