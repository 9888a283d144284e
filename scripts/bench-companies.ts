/**
 * `npm run bench:companies`: the company list at 100,000 companies in one workspace (and
 * 10,000 in a second), through listCompanies inside withUserTx as a sales rep (RLS on), as the
 * page calls it. Each request runs BENCH_RUNS times; p50/p95 are printed with the index its
 * page query reads (EXPLAIN). It starts its own embedded PostgreSQL in .data/bench-companies
 * (BENCH_PG_PORT, 54373) and removes it when done. The last line is one JSON object.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { openPostgres } from "@/db/postgres-target";
import { rlsClaims, withUserTx, type JwtClaims } from "@/db";
import { closeAllPools } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { encodeCompanyCursor } from "@/lib/companies/cursor";
import { PgDialect } from "drizzle-orm/pg-core";
import { chooseSearchMode, companyPageSql, listCompanies } from "@/lib/companies/list-companies";
import { DEFAULT_COMPANY_LIST_STATE, type CompanyListState } from "@/lib/companies/list-state";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { createBenchWorkspace, insertCompanies } from "./lib/bench-leads-data";
import { cleanUpOnce } from "./lib/stop-on-signal";

const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 100_000);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54373);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const DATA_DIR = path.resolve(".data/bench-companies");

type Request = { name: string; state: Partial<CompanyListState>; search?: boolean; deep?: boolean };

// The stored keys the list sorts by (lib/companies/list-companies.ts): a deep cursor holds one.
const SORT_KEYS = { name: "name_sort", size: "size_sort", leads: "k.lead_count", created: "created_at" } as const;

async function main(): Promise<void> {
  await rm(DATA_DIR, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, "postgres"),
    port: PG_PORT,
    database: "lip",
    ephemeral: true,
  });
  const sql = openPostgres(cluster.url, { max: 2, onnotice: () => {}, prepare: false });
  const cleanUp = cleanUpOnce(async () => {
    await sql.end({ timeout: 5 });
    await closeAllPools();
    await cluster.stop();
    await rm(DATA_DIR, { recursive: true, force: true });
  });
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    const t0 = performance.now();
    const a = await createBenchWorkspace(sql, "Bench Acme", "bench-acme", 3);
    const b = await createBenchWorkspace(sql, "Bench Globex", "bench-globex", 3);
    await insertCompanies(sql, a.id, COMPANIES);
    await insertCompanies(sql, b.id, Math.round(COMPANIES / 10));
    // Lead counts as the leads trigger would keep them: most companies a few leads, some many.
    await sql`update public.company_lead_counts set lead_count = floor(exp((hashint8(abs(hashtext(company_id::text))::bigint) & 1023) / 1023.0 * ln(500)))::int - 1`;
    await sql`analyze public.companies`;
    await sql`analyze public.company_lead_counts`;
    console.log(
      `Loaded ${COMPANIES.toLocaleString()} + ${Math.round(COMPANIES / 10).toLocaleString()} companies in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const claims: JwtClaims = { sub: a.repId, role: "authenticated", email: a.repEmail, aud: "authenticated" };
    const deepCursor = async (sort: keyof typeof SORT_KEYS, dir: "asc" | "desc") => {
      // The row 2,000 pages of 50 in: where the 2,001st page starts.
      const key = SORT_KEYS[sort];
      const value = sort === "created" ? `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : key;
      const [row] = await sql.unsafe<{ id: string; v: string | number }[]>(
        `select id, ${value} as v from public.companies join public.company_lead_counts k on k.company_id = companies.id where companies.workspace_id = '${a.id}' order by ${key} ${dir}, id ${dir} offset ${Math.min(99_999, COMPANIES - 51)} limit 1`,
      );
      return encodeCompanyCursor({ sort, dir, value: row!.v, id: row!.id });
    };
    const requests: Request[] = [
      { name: "default (name A→Z)", state: {} },
      { name: "name Z→A", state: { sort: "name", dir: "desc" } },
      { name: "size, biggest first", state: { sort: "size", dir: "desc" } },
      { name: "lead count, most first", state: { sort: "leads", dir: "desc" } },
      { name: "created, newest first", state: { sort: "created", dir: "desc" } },
      { name: "deep page (name)", state: { cursor: await deepCursor("name", "asc") }, deep: true },
      { name: "deep page (lead count)", state: { sort: "leads", dir: "desc", cursor: await deepCursor("leads", "desc") }, deep: true },
      {
        name: "deep page backwards (size)",
        state: { sort: "size", dir: "desc", cursor: await deepCursor("size", "desc"), before: true },
        deep: true,
      },
      { name: "search a name fragment", state: { q: "nord" }, search: true },
      { name: "search a rare domain", state: { q: "c4242-" }, search: true },
      { name: "search, sorted by lead count", state: { q: "labs", sort: "leads", dir: "desc" }, search: true },
    ];

    const results: { name: string; p50: number; p95: number; search: boolean; deep: boolean; rows: number; total: string }[] = [];
    for (const request of requests) {
      const state = { ...DEFAULT_COMPANY_LIST_STATE, ...request.state };
      const times: number[] = [];
      let rows = 0;
      let total = "";
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const page = await withUserTx(claims, (tx) => listCompanies(tx, { workspaceId: a.id, state }), cluster.url);
        times.push(performance.now() - t);
        rows = page.rows.length;
        total = `${page.total.kind} ${page.total.value}`;
        if (page.cursorIgnored) throw new Error(`${request.name}: the cursor was not accepted`);
      }
      times.sort((x, y) => x - y);
      const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
      results.push({ name: request.name, p50: pct(0.5), p95: pct(0.95), search: !!request.search, deep: !!request.deep, rows, total });
      console.log(
        `${request.name.padEnd(32)} p50 ${pct(0.5).toFixed(1).padStart(6)} ms  p95 ${pct(0.95).toFixed(1).padStart(6)} ms  ${rows} rows, total ${total}`,
      );
    }
    // The plan of each page query exactly as listCompanies builds it, run as the rep under RLS.
    for (const request of requests) {
      const state = { ...DEFAULT_COMPANY_LIST_STATE, ...request.state };
      const mode = await withUserTx(claims, (tx) => chooseSearchMode(tx, { workspaceId: a.id, q: state.q }), cluster.url);
      const query = new PgDialect().sqlToQuery(companyPageSql({ workspaceId: a.id, state, mode }));
      const plan = await sql.begin(async (t) => {
        await t`select set_config('request.jwt.claims', ${JSON.stringify(rlsClaims(claims))}, true), set_config('role', 'authenticated', true)`;
        return t.unsafe<{ "QUERY PLAN": string }[]>(`explain (analyze, costs off) ${query.sql}`, query.params as never[]);
      });
      const lines = plan.map((r) => r["QUERY PLAN"]);
      const scan = lines.find((l) => /Scan/.test(l) && !/InitPlan|Result/.test(l)) ?? "?";
      console.log(
        `plan, ${request.name} (${mode}): ${scan.trim().replace(/^->\s*/, "")}; ${lines.find((l) => l.startsWith("Execution Time"))}`,
      );
    }
    const nonSearch = results.filter((r) => !r.search);
    console.log(
      JSON.stringify({
        companies: COMPANIES,
        worst_p95_ms: round1(Math.max(...nonSearch.map((r) => r.p95))),
        deep_page_p95_ms: round1(Math.max(...results.filter((r) => r.deep).map((r) => r.p95))),
        search_p95_ms: round1(Math.max(...results.filter((r) => r.search).map((r) => r.p95))),
      }),
    );
  } finally {
    await cleanUp();
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
