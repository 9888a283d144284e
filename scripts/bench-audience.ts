/**
 * `npm run bench:audience`: a campaign's audience resolved at a million leads (issue 12).
 *
 * Loads 1,000,000 leads (10,000 companies) into one workspace of its own embedded PostgreSQL
 * (.data/bench-audience, BENCH_PG_PORT, 4731), adds 20,000 suppressed addresses and 50
 * suppressed domains, and a running campaign with 100,000 active enrollments. Then, as a sales
 * rep inside withUserTx (RLS on), times resolveAudience (matched, eligible and the six exclusion
 * counts in one query), the random sample of eligible leads and the empty-variable count for
 * several audiences, p50/p95 each, and prints the plan of the largest. The last line is JSON.
 * BENCH_KEEP_DATA=1 keeps the data for the next run.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { openPostgres } from "@/db/postgres-target";
import { sql as dsql } from "drizzle-orm";
import { withUserTx, type JwtClaims } from "@/db";
import { leads } from "@/db/schema";
import { closeAllPools } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { audienceLeadsCondition } from "@/lib/campaigns/audience/audience-condition";
import { audienceCountsQuery, resolveAudience, sampleEligibleLeadIds } from "@/lib/campaigns/audience/resolve-audience";
import { resolveAudienceWithEmptyVariables } from "@/lib/campaigns/preflight/empty-variables";
import type { StoredAudience } from "@/lib/campaigns/types";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { createBenchWorkspace, dropLeadIndexes, insertCompanies, insertLeads, type BenchWorkspace } from "./lib/bench-leads-data";
import { cleanUpOnce } from "./lib/stop-on-signal";

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 4731);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const KEEP_DATA = process.env.BENCH_KEEP_DATA === "1";
const DATA_DIR = path.resolve(".data/bench-audience");
const LOADED_FILE = path.join(DATA_DIR, "loaded.json");

type Loaded = { ws: BenchWorkspace; leads: number; campaignId: string; someIds: string[] };

async function main(): Promise<void> {
  let loaded: Loaded | null = null;
  if (KEEP_DATA)
    loaded = await readFile(LOADED_FILE, "utf8").then(
      (t) => JSON.parse(t) as Loaded,
      () => null,
    );
  if (loaded && loaded.leads !== LEADS) loaded = null;
  if (!loaded) await rm(DATA_DIR, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, "postgres"),
    port: PG_PORT,
    database: "lip",
    ephemeral: !KEEP_DATA,
  });
  const sql = openPostgres(cluster.url, { max: 2, onnotice: () => {}, prepare: false });
  const cleanUp = cleanUpOnce(async () => {
    await sql.end({ timeout: 5 });
    await closeAllPools();
    await cluster.stop();
    if (!KEEP_DATA) await rm(DATA_DIR, { recursive: true, force: true });
  });
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    console.log(`PostgreSQL 18 (embedded, default settings) on port ${PG_PORT}; ${os.cpus().length} CPUs.`);
    if (!loaded) {
      loaded = await loadData(sql);
      if (KEEP_DATA) await writeFile(LOADED_FILE, JSON.stringify(loaded));
    }
    const { ws, campaignId, someIds } = loaded;
    const claims: JwtClaims = { sub: ws.repId, role: "authenticated", email: ws.repEmail, aud: "authenticated" };
    const audiences: [string, StoredAudience][] = [
      ["every lead of the workspace", { kind: "filter", query: "" }],
      ["country = Germany", { kind: "filter", query: "country=Germany" }],
      ["status new, score ≥ 50", { kind: "filter", query: "status=new&scoreMin=50" }],
      ["1,000 picked ids", { kind: "ids", ids: someIds }],
    ];
    const results: { name: string; matched: number; p50: number; p95: number; floorP50: number; sampleP95: number; emptyP95: number }[] =
      [];
    console.log(`\nAs a sales rep in withUserTx (RLS on), ${RUNS} runs each after one warm-up:`);
    for (const [name, audience] of audiences) {
      const scope = { workspaceId: ws.id, userId: ws.repId, audience, campaignId: null };
      const counts = await withUserTx(claims, (tx) => resolveAudience(tx, scope), cluster.url);
      const t = await time(() => withUserTx(claims, (tx) => resolveAudience(tx, scope), cluster.url));
      // The floor: reading the same leads' email once, with no classification at all.
      const floor = await time(() =>
        withUserTx(
          claims,
          (tx) =>
            tx.execute(
              dsql`select count(*) filter (where ${leads.email} is null) from ${leads} where ${audienceLeadsCondition(audience, scope)}`,
            ),
          cluster.url,
        ),
      );
      const sample = await time(() => withUserTx(claims, (tx) => sampleEligibleLeadIds(tx, { ...scope, size: 5 }), cluster.url));
      const empty = await time(() =>
        withUserTx(claims, (tx) => resolveAudienceWithEmptyVariables(tx, scope, ["first_name", "title"]), cluster.url),
      );
      console.log(
        `  ${name.padEnd(30)} matched ${counts.matched.toLocaleString().padStart(9)}, eligible ${counts.eligible.toLocaleString().padStart(9)} ` +
          `(${Object.entries(counts.excluded)
            .map(([r, v]) => `${r} ${v.toLocaleString()}`)
            .join(", ")})\n` +
          `  ${"".padEnd(30)} counts p50 ${t.p50.toFixed(0)} ms p95 ${t.p95.toFixed(0)} ms (floor p50 ${floor.p50.toFixed(0)} ms: ${(t.p50 / floor.p50).toFixed(1)}×) · sample p95 ${sample.p95.toFixed(0)} ms · counts with empty first_name and title p95 ${empty.p95.toFixed(0)} ms`,
      );
      results.push({
        name,
        matched: counts.matched,
        p50: t.p50,
        p95: t.p95,
        floorP50: floor.p50,
        sampleP95: sample.p95,
        emptyP95: empty.p95,
      });
    }
    const plan = await withUserTx(
      claims,
      (tx) =>
        tx.execute<{ "QUERY PLAN": string }>(
          dsql`explain (analyze, buffers, costs off) ${audienceCountsQuery({ workspaceId: ws.id, userId: ws.repId, audience: audiences[0]![1] })}`,
        ),
      cluster.url,
    );
    console.log(`\nPlan of the whole-workspace count:\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}`);
    console.log(
      JSON.stringify({
        leads: LEADS,
        audiences: results.map((r) => ({
          name: r.name,
          matched: r.matched,
          p50: Math.round(r.p50),
          p95: Math.round(r.p95),
          floor_p50: Math.round(r.floorP50),
          sample_p95: Math.round(r.sampleP95),
          with_empty_p95: Math.round(r.emptyP95),
        })),
      }),
    );
  } finally {
    await cleanUp();
  }
}

async function loadData(sql: postgres.Sql): Promise<Loaded> {
  const t0 = performance.now();
  const ws = await createBenchWorkspace(sql, "Bench Audience", "bench-audience", 5);
  const conn = await sql.reserve();
  try {
    await conn`set maintenance_work_mem = '512MB'`;
    const indexes = await dropLeadIndexes(conn);
    await conn`set session_replication_role = replica`;
    await insertCompanies(conn, ws.id, 10_000);
    await insertLeads(conn, ws, LEADS);
    await conn`set session_replication_role = origin`;
    for (const def of indexes) await conn.unsafe(def);
    await conn`vacuum analyze public.leads`;
  } finally {
    conn.release();
  }
  // Suppressed: 20,000 addresses of leads, and 50 of the companies' domains.
  await sql`insert into public.suppressions (workspace_id, kind, value, reason)
    select ${ws.id}, 'email', e.value, (array['manual','unsubscribe','bounce','complaint'])[1 + e.n % 4]::public.suppression_reason
    from (select lower(l.email) as value, row_number() over (order by l.id)::int as n from public.leads l
      where l.workspace_id = ${ws.id} and l.email ~ '^[^@[:space:]]+@[^@[:space:]]+$' order by l.id limit 20000) e
    on conflict do nothing`;
  await sql`insert into public.suppressions (workspace_id, kind, value)
    select ${ws.id}, 'domain', d.value from (select lower(split_part(l.email, '@', 2)) as value, count(*) as n from public.leads l
      where l.workspace_id = ${ws.id} and l.email like '%@%.%' group by lower(split_part(l.email, '@', 2)) order by n desc limit 50) d
    on conflict do nothing`;
  // A running campaign with 100,000 active enrollments (taken to running on the service connection).
  const [c] = await sql<{ id: string }[]>`insert into public.campaigns (workspace_id, name, owner_id)
    values (${ws.id}, 'Running', ${ws.repId}) returning id`;
  await sql`update public.campaigns set status = 'pending_approval' where id = ${c!.id}`;
  for (const status of ["approved", "running"]) {
    await sql`update public.campaigns set status = ${status}::public.campaign_status, approved_content_hash = private.campaign_content_hash(id),
      approved_by = ${ws.repId}, approved_at = now() where id = ${c!.id}`;
  }
  await sql`insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id)
    select ${ws.id}, ${c!.id}, id from public.leads where workspace_id = ${ws.id} order by id desc limit 100000`;
  await sql`analyze`;
  const ids = await sql<{ id: string }[]>`select id from public.leads where workspace_id = ${ws.id} order by created_at limit 1000`;
  console.log(
    `Loaded ${LEADS.toLocaleString()} leads, suppressions and 100,000 enrollments in ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
  );
  return { ws, leads: LEADS, campaignId: c!.id, someIds: ids.map((r) => r.id) };
}

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await run();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
