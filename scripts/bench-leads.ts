/**
 * `npm run bench:leads`: the lead table at a million leads (issue 10, "Benchmark").
 *
 *   1. Data: 1,000,000 leads and 100,000 companies in one workspace, 1,000,000 leads (and
 *      10,000 companies) in a second, generated inside PostgreSQL, indexes built after the load.
 *   2. Table requests (sorts, each filter, combinations, searches, the 2,000th page, the total)
 *      through listLeads inside withUserTx as a sales rep (RLS on), p50/p95 each; the same
 *      questions as hand-written SQL for the superuser (no RLS) as the floor, and the ratio.
 *      The plan of each page query is printed: the index it reads and whether RLS stayed an
 *      InitPlan.
 *   3. The /leads page of the production build (`next build` + `npm start`) with a signed-in
 *      session: server response time p95 over 50 requests, and its first-load JavaScript (the
 *      scripts its HTML loads, gzip).
 *
 * It starts its own embedded PostgreSQL in .data/bench-leads (BENCH_PG_PORT, 54371) and the app
 * on BENCH_APP_PORT (3071), builds into .next-bench, and removes the data when done. With
 * BENCH_KEEP_DATA=1 it keeps the data and reuses it on the next run (new migrations are applied
 * to it), which saves the few minutes of loading when only the code under test changed. The last
 * line printed is one JSON object with the headline figures.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type postgres from "postgres";
import { sql as dsql } from "drizzle-orm";
import { withUserTx, type JwtClaims } from "@/db";
import { decodeCursor, encodeCursor } from "@/lib/leads/list-cursor";
import { chooseSearchMode, columnPageQuery, countMatchingLeads, leadListTotal, listLeads } from "@/lib/leads/list-leads";
import { DEFAULT_LEAD_LIST_STATE, type LeadListState } from "@/lib/leads/list-state";
import { COUNT_COST_LIMIT, EXACT_TOTAL_UP_TO } from "@/lib/leads/list-total";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { embeddedEnvironment, loadOrCreateLocalSecrets } from "@/lib/local/secrets";
import { BENCH_PASSWORD, openBenchLeadsDb, type BenchWorkspace } from "./lib/bench-leads-data";
import { loadAverage, q, s, timeBoth } from "./lib/bench-timing";
import { benchRequests, type BenchRequest } from "./lib/bench-leads-requests";

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 100_000);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54371);
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3071);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const PAGE_RUNS = 50;
const SKIP_PAGE = process.env.BENCH_SKIP_PAGE === "1";
const KEEP_DATA = process.env.BENCH_KEEP_DATA === "1";
const DATA_DIR = path.resolve(".data/bench-leads");
const DIST_DIR = ".next-bench";

type Figures = {
  name: string;
  kind: BenchRequest["kind"] | "bulk";
  p50: number;
  p95: number;
  floorP50: number;
  floorP95: number;
  /** This process's CPU per call (ms): the client side of each, which a loaded machine does not inflate as it does wall time. */
  cpu: number;
  floorCpu: number;
};

async function main(): Promise<void> {
  const { url, sql, loaded, close } = await openBenchLeadsDb({
    dataDir: DATA_DIR,
    port: PG_PORT,
    keep: KEEP_DATA,
    leads: LEADS,
    companies: COMPANIES,
  });
  try {
    const { a, b } = loaded;

    const figures = await measureRequests(sql, url, a);
    const page = SKIP_PAGE ? null : await measurePage(a, url);

    const table = figures.filter((f) => f.kind !== "bulk");
    const nonSearch = table.filter((f) => f.kind !== "search");
    const worst = nonSearch.reduce((w, f) => (f.p95 > w.p95 ? f : w));
    const ratios = table.map((f) => ({ name: f.name, ratio: f.p95 / f.floorP95 }));
    const worstRatio = ratios.reduce((w, r) => (r.ratio > w.ratio ? r : w));
    const deep = table.filter((f) => f.kind === "deep");
    console.log(
      `\nLoad average at the end: ${loadAverage()}.\nWorst non-search p95: ${worst.p95.toFixed(1)} ms (${worst.name}); worst ratio to the floor: ${worstRatio.ratio.toFixed(2)}× (${worstRatio.name})`,
    );
    console.log(
      `Other workspace: ${b.leads.toLocaleString()} leads in "${b.name}", never read by these requests (RLS and workspace_id in every index).`,
    );
    console.log(
      JSON.stringify({
        worst_p95_ms: round1(worst.p95),
        search_p95_ms: round1(Math.max(...table.filter((f) => f.kind === "search").map((f) => f.p95))),
        deep_page_p95_ms: round1(Math.max(...deep.map((f) => f.p95))),
        ratio_to_floor: Math.round(worstRatio.ratio * 100) / 100,
        page_p95_ms: page ? round1(page.p95) : null,
        first_load_js_kb: page ? round1(page.firstLoadKb) : null,
      }),
    );
  } finally {
    await close();
  }
}

// ---------------------------------------------------------------------------------------
// 2. Table requests

async function measureRequests(sql: postgres.Sql, url: string, ws: BenchWorkspace): Promise<Figures[]> {
  const claims: JwtClaims = { sub: ws.repId, role: "authenticated", email: ws.repEmail, aud: "authenticated" };
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const requests = benchRequests({ repId: ws.repId, recentDay: day(30), weekAgo: day(7), today: day(0) });
  const members = await sql<{ user_id: string }[]>`
    select m.user_id from workspace_members m left join profiles p on p.id = m.user_id where m.workspace_id = ${ws.id}
    order by lower(private.unaccent_text(coalesce(nullif(p.full_name, ''), p.email, ''))), m.user_id`;
  const floorConn = await sql.reserve();
  const figures: Figures[] = [];
  console.log(
    `\nTable requests as a sales rep through listLeads in withUserTx (RLS on), ${RUNS} runs each after 3 warm-ups, alternating with the floor;`,
  );
  console.log(`(load average at the start: ${loadAverage()}; the machine's cores are shared, so figures move with it)`);
  console.log(`floor: the same question as hand-written SQL, superuser, no RLS, one connection.`);
  console.log(`cpu: this process's CPU per call in ms (the client side: postgres.js, drizzle, the service's own work).\n`);
  console.log(
    `${"request".padEnd(58)} ${"p50".padStart(7)} ${"p95".padStart(7)} │ ${"floor p50".padStart(9)} ${"p95".padStart(7)} │ ratio │ ${"cpu".padStart(5)} ${"floor".padStart(5)} │ total          plan`,
  );
  try {
    for (const request of requests) {
      const state: LeadListState = { ...DEFAULT_LEAD_LIST_STATE, columns: [...DEFAULT_LEAD_LIST_STATE.columns], ...request.state };
      let after = "";
      if (request.deep) {
        const key = request.deep.key;
        const [row] = await sql.unsafe<{ v: string; id: string }[]>(`
          select (${key})::text as v, l.id from leads l where l.workspace_id = '${ws.id}' and l.deleted_at is null
          order by ${request.floor.order} offset least(${request.deep.offset}, ${Math.round(LEADS * 0.9)}) limit 1`);
        state.cursor = encodeCursor({ sort: state.sort, dir: state.dir, value: row!.v, id: row!.id });
        after = ` and (${key}, l.id) ${state.dir === "asc" ? ">" : "<"} ('${row!.v.replace(/'/g, "''")}', '${row!.id}')`;
      }
      const scope = { workspaceId: ws.id, userId: ws.repId, state };
      const service = () => withUserTx(claims, (tx) => listLeads(tx, scope), url);
      const floor = () =>
        runFloor(
          floorConn,
          ws,
          request,
          after,
          members.map((m) => m.user_id),
        );

      const [page, floorIds] = [await service(), await floor()];
      const ids = page.rows.map((r) => r.id);
      if (JSON.stringify(ids) !== JSON.stringify(floorIds)) {
        throw new Error(`${request.name}: listLeads and the hand-written SQL disagree (${ids.length} vs ${floorIds.length} rows)`);
      }
      const f = await timeBoth(service, floor, RUNS);
      const plan = state.sort === "owner" ? "one index range per owner (leads_sort_owner_idx)" : await planSummary(url, claims, scope);
      figures.push({ name: request.name, kind: request.kind, ...f });
      printRow(request.name, f, `${page.total.kind === "exact" ? "" : "~"}${page.total.value.toLocaleString()}`.padEnd(14), plan);
    }

    // The total alone, as every page computes it, and the exact count a bulk action confirms.
    const totalOf = (state: Partial<LeadListState>) => () =>
      withUserTx(
        claims,
        (tx) => leadListTotal(tx, { workspaceId: ws.id, userId: ws.repId, state: { ...DEFAULT_LEAD_LIST_STATE, ...state } }),
        url,
      );
    const floorEstimate = (where: string) => () =>
      floorTotal(floorConn, `l.workspace_id = '${ws.id}' and l.deleted_at is null and ${where}`);
    for (const [name, state, where] of [
      ["count: the total of the whole table (estimate)", {}, "true"],
      [
        "count: the total of a 5,000-lead tag filter",
        { tags: ["conference-berlin"] },
        "lower(l.tags::text)::text[] && array['conference-berlin']",
      ],
    ] as [string, Partial<LeadListState>, string][]) {
      const f = await timeBoth(totalOf(state), floorEstimate(where), RUNS);
      figures.push({ name, kind: "count", ...f });
      const total = await totalOf(state)();
      printRow(name, f, `${total.kind === "exact" ? "" : "~"}${total.value.toLocaleString()}`.padEnd(14), "");
    }
    const exact = await timeBoth(
      () =>
        withUserTx(claims, (tx) => countMatchingLeads(tx, { workspaceId: ws.id, userId: ws.repId, state: DEFAULT_LEAD_LIST_STATE }), url),
      () => floorConn.unsafe(`select count(*) from leads l where l.workspace_id = '${ws.id}' and l.deleted_at is null`),
      RUNS,
    );
    figures.push({ name: "exact count of all 1M (bulk confirmation)", kind: "bulk", ...exact });
    printRow("exact count of all leads (bulk confirmation; not a page)", exact, "".padEnd(14), "");
  } finally {
    floorConn.release();
  }
  return figures;
}

const ROW_SQL = `l.id, l.first_name, l.last_name, l.title, l.company_id, l.company_name, l.email, l.email_status, l.status,
  l.owner_id, l.score, l.source, l.tags, l.last_activity_at, l.created_at, l.updated_at, l.deleted_at, p.full_name as owner_name`;

/** The floor: the page with its owners' names in one statement, and the total by the same rule as the service. */
async function runFloor(
  conn: postgres.ReservedSql,
  ws: BenchWorkspace,
  request: BenchRequest,
  after: string,
  owners: string[],
): Promise<string[]> {
  const where = `l.workspace_id = '${ws.id}' and l.deleted_at is null and (${request.floor.where})`;
  const pageSql =
    request.floor.order === "owner"
      ? ownerFloor(where, owners)
      : `select ${ROW_SQL} from leads l left join profiles p on p.id = l.owner_id
         where ${where}${after} order by ${request.floor.order} limit 51`;
  const [rows] = await Promise.all([conn.unsafe<{ id: string }[]>(pageSql), floorTotal(conn, where)]);
  return rows.slice(0, 50).map((r) => r.id);
}

/** The total by the service's rule, by hand: the planner's view of a capped count, and the count only when cheap. */
async function floorTotal(conn: postgres.ReservedSql, where: string): Promise<void> {
  type Node = { "Node Type": string; "Plan Rows": number; "Total Cost": number; Plans?: Node[] };
  const capped = `select count(*) from (select 1 from leads l where ${where} limit ${EXACT_TOTAL_UP_TO + 1}) m`;
  const [row] = await conn.unsafe<{ "QUERY PLAN": [{ Plan: Node }] }[]>(`explain (format json) ${capped}`);
  const plan = row!["QUERY PLAN"][0].Plan;
  const limit = plan.Plans?.find((n) => n["Node Type"] === "Limit");
  const estimate = limit?.Plans?.[0]?.["Plan Rows"] ?? plan["Plan Rows"];
  if (estimate <= EXACT_TOTAL_UP_TO && plan["Total Cost"] <= COUNT_COST_LIMIT) await conn.unsafe(capped);
}

/** Owner order by hand: unassigned first, then each member's leads by id, merged. */
function ownerFloor(where: string, owners: string[]): string {
  const groups = [`l.owner_id is null`, ...owners.map((o) => `l.owner_id = '${o}'`)];
  const parts = groups.map(
    (g, rank) =>
      `(select ${ROW_SQL}, ${rank} as rank from leads l left join profiles p on p.id = l.owner_id where ${where} and ${g} order by l.id limit 51)`,
  );
  return `select * from (${parts.join(" union all ")}) x order by rank, id limit 51`;
}

/** The indexes the service's page query reads, whether a Sort remains, and whether RLS stayed an InitPlan. */
async function planSummary(url: string, claims: JwtClaims, scope: Parameters<typeof listLeads>[1]): Promise<string> {
  const cursor = scope.state.cursor ? decodeCursor(scope.state.cursor, scope.state) : null;
  type Node = { "Node Type": string; "Index Name"?: string; Plans?: Node[]; "Parent Relationship"?: string; "Subplan Name"?: string };
  const plan = await withUserTx(
    claims,
    async (tx) => {
      const search = await chooseSearchMode(tx, scope);
      const [row] = await tx.execute<{ "QUERY PLAN": [{ Plan: Node }] }>(
        dsql`explain (format json) ${columnPageQuery(scope, cursor, scope.state.dir === "asc", 51, search)}`,
      );
      return row!["QUERY PLAN"][0].Plan;
    },
    url,
  );
  const indexes = new Set<string>();
  let sorted = false;
  let initPlan = false;
  const visit = (n: Node) => {
    // A SubPlan is the owner's name, looked up for each row of the page: not how the page is found.
    if (n["Parent Relationship"] === "SubPlan") return;
    if (n["Index Name"]) indexes.add(n["Index Name"]);
    if (n["Node Type"].includes("Sort")) sorted = true;
    if (n["Parent Relationship"] === "InitPlan" || n["Subplan Name"]?.startsWith("InitPlan")) initPlan = true;
    n.Plans?.forEach(visit);
  };
  visit(plan);
  return `${[...indexes].join(" + ") || "no index"}${sorted ? " + Sort" : ""}${initPlan ? ", RLS InitPlan" : ", RLS NOT an InitPlan"}`;
}

function printRow(name: string, f: Omit<Figures, "name" | "kind">, total: string, plan: string) {
  console.log(
    `${name.padEnd(58)} ${ms(f.p50)} ${ms(f.p95)} │ ${ms(f.floorP50).padStart(9)} ${ms(f.floorP95)} │ ${(f.p95 / f.floorP95).toFixed(2).padStart(5)} │ ${f.cpu.toFixed(2).padStart(5)} ${f.floorCpu.toFixed(2).padStart(5)} │ ${total} ${plan}`,
  );
}

// ---------------------------------------------------------------------------------------
// 3. The /leads page of the production build

async function measurePage(ws: BenchWorkspace, databaseUrl: string): Promise<{ p95: number; firstLoadKb: number }> {
  const appUrl = `http://localhost:${APP_PORT}`;
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: DIST_DIR,
    PORT: String(APP_PORT),
    APP_URL: appUrl,
    DATA_DIR,
    EMBEDDED_PG_PORT: String(PG_PORT),
    DATABASE_URL: "",
    NEXT_PUBLIC_SUPABASE_URL: "",
    RESEND_API_KEY: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_DEV: "",
  };
  console.log(`\n/leads of the production build (next build into ${DIST_DIR}, then npm start on port ${APP_PORT}, this database):`);
  const tBuild = performance.now();
  await run("node", ["node_modules/next/dist/bin/next", "build"], env);
  console.log(`  built in ${s(performance.now() - tBuild)}`);

  // The app reads this data dir's secrets; this process signs in through the same embedded auth
  // server code (in-process, same database and signing key), so the session is one the app accepts.
  const secrets = await loadOrCreateLocalSecrets(DATA_DIR);
  Object.assign(process.env, { APP_URL: appUrl, DATABASE_URL: databaseUrl }, await embeddedEnvironment(secrets, env as NodeJS.ProcessEnv));
  const app = spawn("npm", ["start"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  app.stdout.on("data", (d: Buffer) => (log += d.toString()));
  app.stderr.on("data", (d: Buffer) => (log += d.toString()));
  try {
    await waitFor(`${appUrl}/api/health`, 120_000, () => log);
    const cookie = await signIn(appUrl, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, ws.repEmail);
    const get = async () => {
      const res = await fetch(`${appUrl}/leads`, { headers: { cookie }, redirect: "manual" });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`/leads answered ${res.status} ${res.headers.get("location") ?? ""}`);
      return body;
    };
    const html = await get();
    for (let i = 0; i < 5; i++) await get();
    const times: number[] = [];
    for (let i = 0; i < PAGE_RUNS; i++) {
      const t = performance.now();
      await get();
      times.push(performance.now() - t);
    }
    const scripts = [
      ...new Set(
        [...html.matchAll(/<script([^>]*)>/g)]
          // Modern browsers skip the noModule polyfills: they are not part of what this page loads.
          .filter((m) => !/\bnomodule\b/i.test(m[1]!))
          .map((m) => /\bsrc="([^"]+)"/.exec(m[1]!)?.[1])
          .filter((src): src is string => src !== undefined)
          .map((src) => src.replace(/&amp;/g, "&")),
      ),
    ];
    let gz = 0;
    for (const src of scripts) gz += gzipSync(Buffer.from(await (await fetch(new URL(src, appUrl))).arrayBuffer())).length;
    const firstLoadKb = gz / 1024;
    console.log(`  server response (full HTML) over ${PAGE_RUNS} requests: p50 ${ms(q(times, 0.5))} ms, p95 ${ms(q(times, 0.95))} ms`);
    console.log(`  first-load JS: ${scripts.length} scripts, ${firstLoadKb.toFixed(1)} kB gzip`);
    console.log(
      `  (its HTML: ${(html.length / 1024).toFixed(0)} kB, ${/coming soon/i.test(html) ? "still the 'coming soon' page" : "the lead table"})`,
    );
    return { p95: q(times, 0.95), firstLoadKb };
  } finally {
    if (app.pid) process.kill(-app.pid, "SIGTERM");
    await new Promise((resolve) => app.once("exit", resolve));
  }
}

/** Signs in through the app's auth endpoint and builds the session cookie @supabase/ssr reads (chunked past 3,180 characters). */
async function signIn(appUrl: string, anonKey: string, email: string): Promise<string> {
  const res = await embeddedAuthFetch(`${appUrl}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: anonKey, "content-type": "application/json" },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const session = await res.json();
  const value = `base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`;
  const name = "sb-lip-auth-token";
  if (value.length <= 3180) return `${name}=${value}`;
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += 3180) chunks.push(`${name}.${chunks.length}=${value.slice(i, i + 3180)}`);
  return chunks.join("; ");
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} failed:\n${out.slice(-4000)}`))));
  });
}

async function waitFor(url: string, timeoutMs: number, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the app did not answer on ${url}:\n${log().slice(-4000)}`);
}

const ms = (v: number) => v.toFixed(1).padStart(7);
const round1 = (v: number) => Math.round(v * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
