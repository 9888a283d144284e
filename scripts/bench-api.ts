/**
 * `npm run bench:api`: the REST API at a million leads (issue 17, "Benchmark").
 *
 *   1. Data: bench:leads's (scripts/lib/bench-leads-data.ts): 1,000,000 leads and 100,000
 *      companies in Bench Acme, as many leads in Bench Globex, indexes built after the load.
 *   2. GET /api/v1/leads with a filter, following its cursor page after page, LIST_RUNS requests
 *      through the route handler Next calls (the key checked, the rate limit counted, RLS as the
 *      key, the JSON written and read), alternating with the service call the /leads page makes
 *      for the same page (listLeads in withUserTx as the key's creator): p50/p95 of each and the
 *      ratio of the p95s.
 *   3. POST /api/v1/leads/bulk: UPSERT_CALLS calls of 1,000 leads each (half existing leads of
 *      Bench Acme, matched by email and updated; half new, at new companies' domains), one after
 *      the other through the route handler: leads per second.
 *   4. bench:webhooks's fan-out (scripts/lib/bench-webhooks-fanout.ts): 10,000 events to a local
 *      receiver, in a workspace of its own on the same database.
 *
 * It starts its own embedded PostgreSQL in .data/bench-api (BENCH_PG_PORT, 54381) and removes
 * it when done; with BENCH_KEEP_DATA=1 it keeps the data and reuses it on the next run (the
 * upserts then find the leads of the earlier runs). BENCH_PROFILE=1 prints where the bulk
 * upsert's time went (scripts/lib/bench-profile.ts: each statement of the API's calls beside the
 * floor's); BENCH_PG_SETTINGS (`name=value,…`) changes server settings. The last line printed is one JSON object.
 */
import path from "node:path";
import { openPostgres } from "@/db/postgres-target";
import { embeddedEnvironment, loadOrCreateLocalSecrets } from "@/lib/local/secrets";
import { openBenchLeadsDb } from "./lib/bench-leads-data";
import { startPhase } from "./lib/bench-profile";
import { loadAverage, timeBoth } from "./lib/bench-timing";
import { measureWebhookFanout } from "./lib/bench-webhooks-fanout";

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 100_000);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54381);
const LIST_RUNS = Number(process.env.BENCH_LIST_RUNS ?? 200);
const UPSERT_CALLS = Number(process.env.BENCH_UPSERT_CALLS ?? 20);
const UPSERT_SIZE = 1_000;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const KEEP_DATA = process.env.BENCH_KEEP_DATA === "1";
const DATA_DIR = path.resolve(".data/bench-api");
/** The list request: a filter (two statuses, a quarter of a million leads each) in the table's default order. */
const LIST_QUERY = { status: "new,contacted", pageSize: "50" };

type Handler = (request: Request) => Promise<Response>;

async function main(): Promise<void> {
  const { url, sql, loaded, close } = await openBenchLeadsDb({
    dataDir: DATA_DIR,
    port: PG_PORT,
    keep: KEEP_DATA,
    leads: LEADS,
    companies: COMPANIES,
  });
  try {
    // The app's modules read their settings from the environment: point them at this database.
    const secrets = await loadOrCreateLocalSecrets(DATA_DIR);
    Object.assign(process.env, { DATABASE_URL: url }, await embeddedEnvironment(secrets, process.env));
    const ws = loaded.a;

    const { withUserTx } = await import("@/db");
    const { createApiKey } = await import("@/lib/api-keys/manage-api-keys");
    const [admin] = await sql<{ id: string; email: string }[]>`
      select m.user_id as id, p.email from workspace_members m join profiles p on p.id = m.user_id
      where m.workspace_id = ${ws.id} and m.role = 'admin' limit 1`;
    const claims = { sub: admin!.id, role: "authenticated" as const, email: admin!.email, aud: "authenticated" };
    const key = await withUserTx(claims, (tx) =>
      createApiKey(
        tx,
        { workspaceId: ws.id, userId: admin!.id, role: "admin" },
        { name: `bench ${Date.now()}`, scope: "read_write", expiresInDays: null },
      ),
    );
    const list = await measureList(ws.id, claims, key.secret);
    // BENCH_PROFILE=1: the statements of the API's calls and of the floor's, side by side (timeBoth alternates them).
    const upsertPhase = await startPhase(sql, {
      name: "bulk upsert and its floor",
      dataDir: path.join(DATA_DIR, "postgres"),
      self: "API",
    });
    const upsert = await measureUpsert(sql, ws.id, key.secret, admin!.id);
    await upsertPhase.finish();

    console.log(`\nWebhook fan-out (bench:webhooks's), ${EVENTS.toLocaleString()} events, load average ${loadAverage()}:`);
    const hooks = await measureWebhookFanout(url, { events: EVENTS, concurrency: 32, batch: 500, slug: `bench-api-${Date.now()}` });
    if (hooks.duplicated > 0 || hooks.badSignatures > 0) {
      console.log(`  ${hooks.duplicated} duplicated deliveries, ${hooks.badSignatures} bad signatures.`);
    }

    console.log(`\nLoad average at the end: ${loadAverage()}.`);
    console.log(
      JSON.stringify({
        list_p95_ms: round1(list.p95),
        ratio_to_service: Math.round((list.p95 / list.floorP95) * 100) / 100,
        upsert_leads_per_s: Math.round(upsert.leadsPerSecond),
        webhooks_10k_s: Number(hooks.seconds.toFixed(2)),
        webhooks_lost: hooks.lost,
      }),
    );
  } finally {
    await close();
  }
}

function apiRequest(method: string, pathAndQuery: string, secret: string, body?: unknown): Request {
  return new Request(`http://127.0.0.1/api/v1${pathAndQuery}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function measureList(workspaceId: string, claims: { sub: string; role: "authenticated"; email: string }, secret: string) {
  const { withUserTx } = await import("@/db");
  const { listLeads } = await import("@/lib/leads/list-leads");
  const { parseLeadListState } = await import("@/lib/leads/list-state");
  const { GET } = (await import("@/app/api/v1/leads/route")) as { GET: Handler };

  // The page's service call for a URL, as the /leads page parses it.
  const service = (query: Record<string, string>) =>
    withUserTx(claims, (tx) =>
      listLeads(tx, { workspaceId, userId: claims.sub, state: parseLeadListState(new URLSearchParams(query)).state }),
    );
  // The cursors of the first LIST_RUNS + 1 pages of the filter: round i reads the page after page i.
  const cursors: string[] = [];
  let cursor: string | null = null;
  while (cursors.length < LIST_RUNS + 1) {
    const page = await service({ ...LIST_QUERY, ...(cursor ? { cursor } : {}) });
    if (!page.nextCursor) throw new Error(`the filter has only ${cursors.length + 1} pages`);
    cursors.push(page.nextCursor);
    cursor = page.nextCursor;
  }
  const api = async (round: number) => {
    const response = await GET(apiRequest("GET", `/leads?${new URLSearchParams({ ...LIST_QUERY, cursor: cursors[round]! })}`, secret));
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET /api/v1/leads answered ${response.status}: ${text}`);
    return JSON.parse(text) as { data: { id: string }[] };
  };
  const page = (round: number) => service({ ...LIST_QUERY, cursor: cursors[round]! });

  const [viaApi, viaPage] = [await api(0), await page(0)];
  if (JSON.stringify(viaApi.data.map((r) => r.id)) !== JSON.stringify(viaPage.rows.map((r) => r.id))) {
    throw new Error("the API and the page's service call disagree on the page");
  }
  console.log(
    `\nGET /api/v1/leads?${new URLSearchParams(LIST_QUERY)}&cursor=…, ${LIST_RUNS} pages in a row (after 3 warm-ups), ` +
      `alternating with the /leads page's service call for the same page; load average ${loadAverage()}.`,
  );
  const f = await timeBoth(api, page, LIST_RUNS);
  console.log(
    `  API (route handler: key, rate limit, RLS as the key, JSON): p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, ${f.cpu.toFixed(1)} ms CPU here per call`,
  );
  console.log(
    `  page's service call (listLeads in withUserTx):          p50 ${f.floorP50.toFixed(1)} ms, p95 ${f.floorP95.toFixed(1)} ms, ${f.floorCpu.toFixed(1)} ms CPU here per call`,
  );
  console.log(`  ratio of the p95s: ${(f.p95 / f.floorP95).toFixed(2)}×`);
  return f;
}

async function measureUpsert(sql: ReturnType<typeof openPostgres>, workspaceId: string, secret: string, creatorId: string) {
  const { POST } = (await import("@/app/api/v1/leads/bulk/route")) as { POST: Handler };
  const calls = UPSERT_CALLS + 3; // timeBoth's 3 warm-ups first
  const half = UPSERT_SIZE / 2;
  // Existing leads to update: a slice per call for the API and another for the floor.
  const existing = await sql<{ email: string }[]>`
    select email from leads where workspace_id = ${workspaceId} and email is not null and deleted_at is null
    order by hashtext(id::text) limit ${2 * calls * half}`;
  const run = Date.now().toString(36);
  const bodyOf = (side: "api" | "floor", c: number) => {
    const from = (side === "api" ? 0 : calls * half) + c * half;
    return {
      leads: [
        ...existing
          .slice(from, from + half)
          .map((r, i) => ({ email: r.email, title: `Head of Bench ${run} ${c}.${i}`, tags: ["api-bench"] })),
        ...Array.from({ length: half }, (_, i) => ({
          firstName: "Bench",
          lastName: `Api ${c}-${i}`,
          email: `${side}-${run}-${c}-${i}@newco-${side}-${run}-${c}-${i % 50}.example`,
          companyName: `Newco ${run} ${c}-${i % 50}`,
          title: "VP Sales",
          country: "Germany",
          score: i % 101,
        })),
      ],
    };
  };
  let apiCall = 0;
  let floorCall = 0;
  let written = 0;
  let timedApiMs = 0;
  const api = async () => {
    const c = apiCall++;
    const t = performance.now();
    const response = await POST(apiRequest("POST", "/leads/bulk", secret, bodyOf("api", c)));
    const text = await response.text();
    const ms = performance.now() - t;
    if (response.status !== 200) throw new Error(`POST /api/v1/leads/bulk answered ${response.status}: ${text.slice(0, 500)}`);
    const { counts } = (JSON.parse(text) as { data: { counts: { created: number; updated: number } } }).data;
    if (counts.created !== half || counts.updated !== half)
      throw new Error(`call ${c}: expected ${half} created and ${half} updated, got ${JSON.stringify(counts)}`);
    if (c >= 3) {
      written += counts.created + counts.updated;
      timedApiMs += ms;
    }
  };
  // The floor: the same writes as two hand-written statements (no matching of LinkedIn URLs or
  // Apollo ids, no duplicates, companies, timeline or per-row results), the leads' triggers and indexes all the same.
  const floor = async () => {
    const { leads } = bodyOf("floor", floorCall++);
    const updates = leads.slice(0, half).map((l) => ({ email: l.email!.toLowerCase(), title: l.title }));
    const inserts = leads.slice(half);
    await sql.begin(async (tx) => {
      await tx`update leads l set title = u.title, tags = array(select distinct unnest(l.tags || '{api-bench}'::text[])), last_activity_at = now()
        from jsonb_to_recordset(${JSON.stringify(updates)}::text::jsonb) as u(email text, title text)
        where l.workspace_id = ${workspaceId} and lower(l.email) = u.email and l.email is not null`;
      await tx`insert into leads (workspace_id, first_name, last_name, email, title, country, score, owner_id, created_by, source, last_activity_at)
        select ${workspaceId}, n."firstName", n."lastName", n.email, n.title, n.country, n.score, ${creatorId}, ${creatorId}, 'manual', now()
        from jsonb_to_recordset(${JSON.stringify(inserts)}::text::jsonb) as n("firstName" text, "lastName" text, email text, title text, country text, score int)`;
    });
  };
  console.log(
    `\nPOST /api/v1/leads/bulk: ${UPSERT_CALLS} calls of ${UPSERT_SIZE.toLocaleString()} leads (after 3 warm-ups), each ${half} existing leads ` +
      `(matched by email, updated) and ${half} new ones at 50 new companies, alternating with the floor: the same writes as two plain statements; ` +
      `load average ${loadAverage()}.`,
  );
  const f = await timeBoth(api, floor, UPSERT_CALLS);
  const leadsPerSecond = written / (timedApiMs / 1000);
  console.log(
    `  API: ${written.toLocaleString()} leads in ${(timedApiMs / 1000).toFixed(2)} s, ${Math.round(leadsPerSecond).toLocaleString()} leads/s; ` +
      `per call p50 ${f.p50.toFixed(0)} ms, p95 ${f.p95.toFixed(0)} ms, ${f.cpu.toFixed(0)} ms CPU here per call`,
  );
  console.log(
    `  floor: per call p50 ${f.floorP50.toFixed(0)} ms, p95 ${f.floorP95.toFixed(0)} ms (${Math.round(UPSERT_SIZE / (f.floorP50 / 1000)).toLocaleString()} leads/s at its p50)`,
  );
  return { leadsPerSecond, floorLeadsPerSecond: UPSERT_SIZE / (f.floorP50 / 1000) };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
