/**
 * `npm run bench:enrich` (issue 15's Benchmark): 10,000 leads enriched with lead insights
 * through a local OpenAI-compatible fake that answers after 300 ms, then the same leads again.
 *
 * It starts its own embedded PostgreSQL in a temp dir, seeds one workspace with an ideal
 * customer profile and BENCH_LEADS leads (accented names, 2,000 companies), and runs the
 * enrichment service the job runs, in batches of BENCH_BATCH leads with BENCH_CONCURRENCY
 * calls in flight. Reported: leads per minute, the concurrency, prompt and completion tokens
 * per lead as the server counted them (o200k_base, the tokenizer of gpt-4o-mini) beside the
 * estimate made before the run, the cost per 1,000 leads at gpt-4o-mini's list price (input
 * $0.15, cached input $0.075, output $0.60 per million tokens), and the re-run's cost and
 * time against the first run's. The last line printed is one JSON object.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "@/db/migrate";
import { openPostgres } from "@/db/postgres-target";
import { closeAllPools } from "@/db/client";
import { embeddedEnvironment, generateLocalSecrets } from "@/lib/local/secrets";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { freePort } from "@/lib/local/free-port";
import { fakeLeadInsightAnswer } from "@/lib/ai/testing/fake-lead-insight";
import { startFakeOpenAI } from "@/lib/ai/testing/fake-openai";
import { cleanUpOnce } from "./lib/stop-on-signal";

const LEADS = Number(process.env.BENCH_LEADS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 300);
const quiet = () => {};

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "lip-bench-enrich-"));
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "lip_bench" });
  const fake = await startFakeOpenAI({ answer: fakeLeadInsightAnswer, latencyMs: LATENCY_MS });
  const cleanUp = cleanUpOnce(async () => {
    await closeAllPools();
    await fake.close();
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    Object.assign(process.env, { DATABASE_URL: cluster.url, OPENAI_BASE_URL: fake.url, OPENAI_MODEL: "gpt-4o-mini" });
    Object.assign(process.env, await embeddedEnvironment(await generateLocalSecrets(), process.env));
    const sql = openPostgres(cluster.url, { max: 2, onnotice: quiet });
    const workspaceId = await seed(sql);
    console.log(`Seeded ${LEADS.toLocaleString()} leads; the fake model answers after ${LATENCY_MS} ms; ${os.cpus().length} CPUs.`);

    const { serviceDb } = await import("@/db");
    const { aiModel } = await import("@/lib/ai/model");
    const { enrichLeadInsights, loadInsightLeads, profileOf } = await import("@/lib/ai/enrichment/enrich-leads");
    const { estimateLeadInsights } = await import("@/lib/ai/enrichment/lead-insight");
    const { getAiSettings } = await import("@/lib/ai/settings");
    const db = serviceDb();
    const ai = aiModel({ maxRetries: 2 });
    const ids = (await sql<{ id: string }[]>`select id from leads where workspace_id = ${workspaceId} order by id`).map((r) => r.id);
    const batches = Array.from({ length: Math.ceil(ids.length / BATCH) }, (_, i) => ids.slice(i * BATCH, (i + 1) * BATCH));

    const settings = await getAiSettings(db, { workspaceId });
    let estimate = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
    for (const batch of batches) {
      const leads = [...(await loadInsightLeads(db, workspaceId, batch)).values()].map((l) => l.lead);
      const e = estimateLeadInsights(leads, profileOf(settings), ai.model, settings.prices);
      estimate = {
        promptTokens: estimate.promptTokens + e.promptTokens,
        completionTokens: estimate.completionTokens + e.completionTokens,
        costUsd: estimate.costUsd + e.costUsd,
      };
    }

    const run = async () => {
      const started = Date.now();
      const states: Record<string, number> = {};
      for (const batch of batches) {
        const { outcomes, stopped } = await enrichLeadInsights(db, { workspaceId, leadIds: batch }, { ai, concurrency: CONCURRENCY });
        if (stopped) throw new Error(stopped);
        for (const o of outcomes) states[o.state] = (states[o.state] ?? 0) + 1;
      }
      return { seconds: (Date.now() - started) / 1000, states };
    };
    const ledger = async () => {
      const [row] = await sql<{ calls: number; prompt: number; cached: number; completion: number; usd: number }[]>`
        select count(*)::int calls, coalesce(sum(prompt_tokens), 0)::float8 prompt, coalesce(sum(cached_tokens), 0)::float8 cached,
          coalesce(sum(completion_tokens), 0)::float8 completion, coalesce(sum(cost_usd), 0)::float8 usd
        from ai_usage where workspace_id = ${workspaceId}`;
      return row!;
    };

    const first = await run();
    const afterFirst = await ledger();
    console.log(`\nFirst run: ${first.seconds.toFixed(1)} s ${JSON.stringify(first.states)}; ${afterFirst.calls} model calls`);
    const second = await run();
    const afterSecond = await ledger();
    console.log(
      `Re-run:    ${second.seconds.toFixed(1)} s ${JSON.stringify(second.states)}; ${afterSecond.calls - afterFirst.calls} model calls`,
    );

    const leadsPerMin = (LEADS / first.seconds) * 60;
    const usdPer1k = (afterFirst.usd / LEADS) * 1000;
    console.log(`  leads per minute       ${leadsPerMin.toFixed(0)} (${CONCURRENCY} calls in flight, batches of ${BATCH})`);
    console.log(
      `  prompt tokens/lead     ${(afterFirst.prompt / LEADS).toFixed(1)} (${(afterFirst.cached / LEADS).toFixed(1)} cached; estimated ${(estimate.promptTokens / LEADS).toFixed(1)})`,
    );
    console.log(
      `  completion tokens/lead ${(afterFirst.completion / LEADS).toFixed(1)} (estimated ${(estimate.completionTokens / LEADS).toFixed(1)})`,
    );
    console.log(
      `  cost per 1,000 leads   $${usdPer1k.toFixed(4)} at gpt-4o-mini's list price (estimated $${((estimate.costUsd / LEADS) * 1000).toFixed(4)})`,
    );
    console.log(
      `  re-run                 $${(afterSecond.usd - afterFirst.usd).toFixed(4)} in ${((second.seconds / first.seconds) * 100).toFixed(1)} % of the first run's time`,
    );
    await sql.end();
    console.log(
      JSON.stringify({
        leads_per_min: Math.round(leadsPerMin),
        prompt_tokens_per_lead: Math.round((afterFirst.prompt / LEADS) * 10) / 10,
        usd_per_1k_leads: Math.round(usdPer1k * 10_000) / 10_000,
        rerun_usd: Math.round((afterSecond.usd - afterFirst.usd) * 10_000) / 10_000,
        rerun_time_ratio: Math.round((second.seconds / first.seconds) * 1000) / 1000,
      }),
    );
  } finally {
    await cleanUp();
  }
}

/** One workspace with a profile, 2,000 companies and LEADS leads with accented names. */
async function seed(sql: ReturnType<typeof openPostgres>): Promise<string> {
  const [ws] = await sql<{ id: string }[]>`insert into public.workspaces (name, slug) values ('Bench GmbH', 'bench-enrich') returning id`;
  const workspaceId = ws!.id;
  await sql`update workspace_ai_settings set icp_description = 'B2B fintech companies in the DACH region, 50–500 employees, selling to finance teams',
    target_titles = '{Head of Sales,VP Sales,Chief Revenue Officer}', target_seniorities = '{head,vp,c_suite}',
    target_industries = '{Financial Services,Software}', company_sizes = '{51-200,201-500}', countries = '{Germany,Austria,Switzerland}'
    where workspace_id = ${workspaceId}`;
  await sql`insert into companies (workspace_id, name, domain, industry, employee_count, description)
    select ${workspaceId}, 'Zahlwerk ' || i || ' GmbH', 'zahlwerk-' || i || '.example', (array['Financial Services','Software','Retail'])[1 + i % 3],
      20 + (i * 37) % 900, 'Payments and reconciliation software for finance teams of mid-sized companies.'
    from generate_series(1, 2000) i`;
  await sql`insert into leads (workspace_id, first_name, last_name, email, title, seniority, country, city, company_id)
    select ${workspaceId}, (array['Zoë','Łukasz','José','Anaïs','Jürgen','Søren'])[1 + i % 6], 'Müller-' || i, 'lead-' || i || '@zahlwerk-' || (1 + i % 2000) || '.example',
      (array['Head of Sales','VP Sales','Office Manager','Account Executive'])[1 + i % 4], (array['head','vp','staff','senior'])[1 + i % 4],
      (array['Germany','Austria','France'])[1 + i % 3], (array['Berlin','Wien','Paris'])[1 + i % 3],
      (select id from companies c where c.workspace_id = ${workspaceId} and c.domain = 'zahlwerk-' || (1 + i % 2000) || '.example')
    from generate_series(1, ${LEADS}) i`;
  return workspaceId;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
