import { createReadStream } from "node:fs";
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
 * Rolled-back rows stay behind as dead tuples until VACUUM; each run appends after them, so
 * the runs see the same table and indexes, only a longer heap.
 */

type Index = { name: string; def: string };
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
  const timeRun = async (keep: Set<string>, setup: string[] = [], after: string[] = []): Promise<{ copy: number; after: number }> => {
    const conn = await sql.reserve();
    try {
      await conn`begin`;
      for (const i of indexes) if (!keep.has(i.name)) await conn.unsafe(`drop index public."${i.name}"`);
      for (const statement of setup) await conn.unsafe(statement);
      const t = performance.now();
      await pipeline(createReadStream(floorPath), await conn.unsafe(copy).writable());
      const t2 = performance.now();
      for (const statement of after) await conn.unsafe(statement);
      const t3 = performance.now();
      await conn`rollback`;
      return { copy: t2 - t, after: t3 - t2 };
    } finally {
      conn.release();
    }
  };
  const timeCopy = async (keep: Set<string>) => (await timeRun(keep)).copy;

  // A warm-up, then each index's run right after a base run (the machine is shared: load
  // drifts, and a pair measured together sees the same load).
  await timeCopy(new Set());
  const all = await timeCopy(new Set(indexes.map((i) => i.name)));
  const bases: number[] = [];
  const costs: [string, number][] = [];
  for (const i of indexes) {
    const base = await timeCopy(new Set());
    const ms = (await timeCopy(new Set([i.name]))) - base;
    bases.push(base);
    costs.push([i.name, ms]);
    console.log(`  + ${i.name.padEnd(36)} ${s(ms).padStart(8)}  (base run ${s(base)}; load ${load()})`);
  }
  const none = median(bases);
  const sum = costs.reduce((t, [, ms]) => t + ms, 0);
  console.log(
    `  constraint indexes only (pkey, workspace_id+id): median ${s(none)} (${rate(copyRows, none)} rows/s; runs from ${s(Math.min(...bases))} to ${s(Math.max(...bases))})\n` +
      `  every index (${indexes.length + 2}): ${s(all)} (${rate(copyRows, all)} rows/s); the indexes' share ${s(all - none)}, the sum of their separate costs ${s(sum)}`,
  );
  const sorted = [...costs].sort((a, b) => b[1] - a[1]);
  console.log(
    `  largest: ${sorted
      .slice(0, 6)
      .map(([n, ms]) => `${n} ${Math.round((100 * ms) / sum)} %`)
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
    const run = await timeRun(new Set([GIN]), setup, after);
    console.log(
      `  ${name.padEnd(48)} COPY +${s(run.copy - base).padStart(8)}, flush ${s(run.after).padStart(7)}, together +${s(run.copy - base + run.after)}  (load ${load()})`,
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
