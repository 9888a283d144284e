/**
 * `npm run bench:campaign`: a campaign of 10,000 leads through the local executor and the local
 * outbox (issue 13's Benchmark).
 *
 *   1. An approved two-step campaign (10 mailboxes, always in their window, no daily cap in the
 *      way) is launched as its admin would. The delay before step 2 is shortened to
 *      BENCH_STEP2_DELAY_HOURS: 1 by default, so the first steps are measured alone (each run
 *      then sleeps toward step 2); 0 sends both steps within the bench. Measured: the time from
 *      the launch until every lead's first step was sent, sends/s, the executor's step
 *      executions per email (what Inngest bills; a sleep scheduled toward the next email counts
 *      already), duplicates (two outbox messages for one (enrollment, step)) and lost (a lead
 *      of the audience whose first step never left).
 *   2. The floor: the very messages the campaign put in the outbox, sent again with the Resend
 *      SDK to the same outbox, in a plain loop with as many in flight as the executor runs.
 *
 * It starts its own embedded PostgreSQL (durable settings, as `npm start` uses) in a temp dir,
 * and the outbox's Resend API in a process of its own (scripts/lib/bench-outbox-server.ts) as
 * the app serves it beside the executor; the outbox's rate limit is off. BENCH_LEADS,
 * BENCH_CONCURRENCY, BENCH_POOL change the size and the executor's settings; BENCH_PG_PORT and
 * BENCH_OUTBOX_PORT pin the ports; BENCH_PG_SETTINGS (`name=value,…`) changes server settings; BENCH_PROFILE=1 prints where each phase's time went
 * (scripts/lib/bench-profile.ts). The last line printed is one JSON object.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { openPostgres } from "@/db/postgres-target";
import { Resend } from "resend";
import { closeAllPools } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { EXECUTOR_DEFAULTS } from "@/lib/jobs/executor/config";
import { embeddedEnvironment, generateLocalSecrets } from "@/lib/local/secrets";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { freePort } from "@/lib/local/free-port";
import { createBenchCampaign, launchBenchCampaign, type BenchCampaign } from "./lib/bench-campaign-data";
import { benchPgSettings, PROFILE, profileSettings, startPhase } from "./lib/bench-profile";
import { cleanUpOnce } from "./lib/stop-on-signal";

const LEADS = Number(process.env.BENCH_LEADS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? EXECUTOR_DEFAULTS.concurrency);
const STEP2_DELAY_HOURS = Number(process.env.BENCH_STEP2_DELAY_HOURS ?? 1);
/** How long without a single new send before the bench stops waiting and counts what is missing as lost. */
const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 60_000);
const quiet = () => {};

type OutboxRow = {
  id: string;
  from_address: string;
  to_addresses: string[];
  reply_to: string[];
  subject: string;
  html: string | null;
  text_body: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
};

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "lip-bench-campaign-"));
  const pgPort = Number(process.env.BENCH_PG_PORT) || (await freePort());
  const outboxPort = Number(process.env.BENCH_OUTBOX_PORT) || (await freePort());
  const cluster = await startEmbeddedPostgres({
    dataDir,
    port: pgPort,
    database: "lip_bench",
    settings: { ...profileSettings(), ...benchPgSettings() },
    ...(process.env.BENCH_EXPLAIN === "1" ? { log: (line: string) => void process.stderr.write(line) } : {}),
  });
  let outbox: ChildProcess | undefined;
  let stopExecutor: (() => Promise<void>) | undefined;
  const cleanUp = cleanUpOnce(async () => {
    await stopExecutor?.();
    await closeAllPools();
    if (outbox?.pid && outbox.exitCode === null) outbox.kill("SIGTERM");
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    // The environment the launcher gives the app: this database, the outbox as Resend, no Inngest.
    const appUrl = `http://127.0.0.1:${outboxPort}`;
    for (const key of [
      "RESEND_API_KEY",
      "RESEND_BASE_URL",
      "INNGEST_EVENT_KEY",
      "INNGEST_DEV",
      "NEXT_PUBLIC_SUPABASE_URL",
      "LOCAL_OUTBOX_RATE_LIMIT",
    ])
      delete process.env[key];
    Object.assign(process.env, { DATABASE_URL: cluster.url, APP_URL: appUrl });
    Object.assign(process.env, await embeddedEnvironment(await generateLocalSecrets(), process.env));
    outbox = await startOutbox(outboxPort);

    const sql = openPostgres(cluster.url, { max: 2, onnotice: quiet });
    console.log(`PostgreSQL ready (durable settings); ${os.cpus().length} CPUs; load ${await loadavg()}`);
    console.log(`Executor settings: ${JSON.stringify({ concurrency: CONCURRENCY, ...tuning() })}; outbox rate limit off`);

    const campaign = await createBenchCampaign(sql, { leads: LEADS, step2DelayHours: STEP2_DELAY_HOURS });
    console.log(`Seeded ${LEADS.toLocaleString()} leads, ${campaign.identityIds.length} mailboxes, an approved two-step campaign.`);

    // The executor as the launcher starts it, with every function of the app.
    const { startLocalExecutor } = await import("@/lib/jobs/start-local-executor");
    const executor = await startLocalExecutor({
      databaseUrl: cluster.url,
      logger: { debug: quiet, info: quiet, warn: console.warn, error: console.error },
      concurrency: CONCURRENCY,
      ...tuning(),
    });
    stopExecutor = () => executor.stop();

    const campaignPhase = await startPhase(sql, { name: "campaign", dataDir, outboxPid: outbox.pid });
    const t0 = Date.now();
    await launchBenchCampaign(campaign);
    const firstSteps = await waitForSends(sql, campaign, 1, LEADS);
    await campaignPhase.finish();
    if (PROFILE) await printSendTimeline(sql, campaign, t0);
    const firstStepsSeconds = (firstSteps.at - t0) / 1000;
    console.log(`\nLaunch → all first steps sent: ${firstStepsSeconds.toFixed(1)} s (${firstSteps.sent.toLocaleString()} sent)`);
    const second = STEP2_DELAY_HOURS === 0 ? await waitForSends(sql, campaign, 2, firstSteps.sent) : null;
    const allSeconds = ((second?.at ?? firstSteps.at) - t0) / 1000;
    await stopExecutor();
    stopExecutor = undefined;

    const counts = await countOutcome(sql, campaign);
    const sendsPerSecond = counts.sent / allSeconds;
    console.log(`  emails sent            ${counts.sent.toLocaleString()} in ${allSeconds.toFixed(1)} s (${sendsPerSecond.toFixed(0)}/s)`);
    console.log(
      `  step executions/email  ${counts.stepsPerEmail.toFixed(2)} (${counts.stepExecutions.toLocaleString()} in ${counts.runs} runs: ${counts.shape})`,
    );
    console.log(`  duplicates             ${counts.duplicates}`);
    console.log(`  lost                   ${counts.lost}`);
    console.log(`  load                   ${await loadavg()}`);

    const floorPhase = await startPhase(sql, { name: "floor", dataDir, outboxPid: outbox.pid });
    const floor = await measureFloor(sql, campaign, 1);
    await floorPhase.finish();
    console.log(
      `\nFloor: the same ${floor.messages.toLocaleString()} first-step messages, Resend SDK → the same outbox, ${CONCURRENCY} in flight`,
    );
    console.log(
      `  time                   ${floor.seconds.toFixed(1)} s (${(floor.messages / floor.seconds).toFixed(0)}/s); load ${await loadavg()}`,
    );
    const ratio = firstStepsSeconds / floor.seconds;
    console.log(`  campaign / floor       ${ratio.toFixed(2)}×`);
    await sql.end();
    const goalSize = LEADS === 10_000;
    console.log(
      JSON.stringify({
        // Measured, never scaled: a smaller audience's time is mostly the launch's first seconds,
        // before the sends reach their pace (1,000 leads gave "36 s for 10,000" scaled).
        first_steps_10k_s: goalSize ? round2(firstStepsSeconds) : null,
        sends_per_s: Math.round(sendsPerSecond),
        steps_per_email: round2(counts.stepsPerEmail),
        duplicates: counts.duplicates,
        lost: counts.lost,
        ratio_to_floor: round2(ratio),
        ...(goalSize ? {} : { leads: LEADS, first_steps_s: round2(firstStepsSeconds) }),
      }),
    );
  } finally {
    await cleanUp();
  }
}

/** The outbox's Resend API in its own process, as the app runs it next to the executor. */
async function startOutbox(port: number): Promise<ChildProcess> {
  const tsx = path.resolve("node_modules/.bin/tsx");
  const child = spawn(tsx, ["--conditions=react-server", "scripts/lib/bench-outbox-server.ts"], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the outbox server exited (${code})`)));
  });
  return child;
}

/** BENCH_PROFILE=1: first steps sent in each second after the launch (is the start slow, or the pace?). */
async function printSendTimeline(sql: postgres.Sql, c: BenchCampaign, launchedAt: number): Promise<void> {
  const rows = await sql<{ second: number; n: number }[]>`
    select floor(extract(epoch from sent_at) - ${launchedAt / 1000})::int as second, count(*)::int as n
    from email_messages where campaign_id = ${c.campaignId} and step_position = 1 and status = 'sent'
    group by 1 order by 1`;
  console.log(`  first steps sent per second after the launch: ${rows.map((r) => `${r.second}s ${r.n}`).join(", ")}`);
  // What the first seconds wait on: the launch's batches (each enrolls up to 1,000 leads, then
  // sends their start events) and the sequence runs those events created.
  const offset = (at: Date) => ((at.getTime() - launchedAt) / 1000).toFixed(1);
  const steps = await sql<{ step_id: string; ended_at: Date }[]>`
    select s.step_id, s.ended_at from job_steps s join job_runs r on r.id = s.run_id
    where r.function_id like '%launch%' and s.ended_at is not null order by s.ended_at`;
  console.log(`  launch steps ended at: ${steps.map((s) => `${s.step_id} +${offset(s.ended_at)} s`).join(", ")}`);
  const runs = await sql<{ second: number; n: number }[]>`
    select floor(extract(epoch from created_at) - ${launchedAt / 1000})::int as second, count(*)::int as n
    from job_runs where function_id like '%sequence%' group by 1 order by 1`;
  console.log(`  sequence runs created per second: ${runs.map((r) => `${r.second}s ${r.n}`).join(", ")}`);
}

/**
 * Waits until `expected` messages of the step are sent (email_messages, the send step's own
 * record), polling lightly; gives up after STALL_MS without progress (the rest counts as lost).
 * Returns when the last of them was sent, by the database's clock (this machine's).
 */
async function waitForSends(sql: postgres.Sql, c: BenchCampaign, position: number, expected: number) {
  let last = -1;
  let lastAt = performance.now();
  for (;;) {
    // The message's own step_position, without a join: this poll shares the machine with what
    // it measures (the join to campaign_steps cost PostgreSQL 29 ms a poll at 10,000 leads, 7 of
    // the campaign's 43 CPU seconds).
    const [row] = await sql<{ n: number; at: Date | null }[]>`
      select count(*)::int as n, max(sent_at) as at from email_messages
      where campaign_id = ${c.campaignId} and step_position = ${position} and status = 'sent'`;
    const n = row?.n ?? 0;
    if (n !== last) [last, lastAt] = [n, performance.now()];
    if (n >= expected || performance.now() - lastAt > STALL_MS) {
      if (n < expected)
        console.warn(`  step ${position}: stalled at ${n.toLocaleString()} of ${expected.toLocaleString()} for ${STALL_MS / 1000} s`);
      return { sent: n, at: row?.at?.getTime() ?? Date.now() };
    }
    // The end time is the last send's own, so polling every second loses no precision.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function countOutcome(sql: postgres.Sql, c: BenchCampaign) {
  const [sent] = await sql<
    { n: number }[]
  >`select count(*)::int as n from email_messages where campaign_id = ${c.campaignId} and status = 'sent'`;
  // A duplicate: a second outbox message for one (enrollment, step), told by the message id tag.
  const [dup] = await sql<{ n: number }[]>`
    select coalesce(sum(n - 1), 0)::int as n from (
      select count(*) as n from local.outbox_messages o, jsonb_array_elements(o.tags) t
      where t->>'name' = 'message_id' and o.idempotency_key not like 'floor-%'
      group by t->>'value' having count(*) > 1) d`;
  const [lost] = await sql<{ n: number }[]>`
    select count(*)::int as n from campaign_enrollments e
    where e.campaign_id = ${c.campaignId} and not exists (
      select 1 from email_messages m join campaign_steps s on s.id = m.step_id
      where m.enrollment_id = e.id and s.position = 1 and m.status = 'sent')`;
  const [enrolled] = await sql<{ n: number }[]>`select count(*)::int as n from campaign_enrollments where campaign_id = ${c.campaignId}`;
  // Every run in this fresh database is the campaign's (launch and sequences): what Inngest would bill.
  const [steps] = await sql<{ executions: number; runs: number; shape: string }[]>`
    select coalesce(sum(s.attempts), 0)::int as executions, count(distinct r.id)::int as runs,
      (select string_agg(op || ' ' || status || ': ' || n, ', ') from (
        select op::text, status::text, count(*) as n from job_steps group by 1, 2 order by 1, 2) x) as shape
    from job_runs r left join job_steps s on s.run_id = r.id`;
  const emails = sent?.n ?? 0;
  // Leads never enrolled count as lost too: the audience was all eligible.
  const missingEnrollments = Math.max(0, LEADS - (enrolled?.n ?? 0));
  return {
    sent: emails,
    duplicates: dup?.n ?? 0,
    lost: (lost?.n ?? 0) + missingEnrollments,
    stepExecutions: steps?.executions ?? 0,
    runs: steps?.runs ?? 0,
    shape: steps?.shape ?? "",
    stepsPerEmail: emails > 0 ? (steps?.executions ?? 0) / emails : Number.NaN,
  };
}

/** The campaign's own first-step messages, as the outbox stored them, through the SDK again. */
async function measureFloor(sql: postgres.Sql, c: BenchCampaign, position: number) {
  const messages = await sql<OutboxRow[]>`
    select o.id, o.from_address, o.to_addresses, o.reply_to, o.subject, o.html, o.text_body, o.headers, o.tags
    from local.outbox_messages o
    where exists (
      select 1 from email_messages m join campaign_steps s on s.id = m.step_id
      where m.campaign_id = ${c.campaignId} and s.position = ${position} and m.provider_id = o.id::text)`;
  if (messages.length === 0) {
    // Nothing was sent (the launch or the send step is missing): time lookalike messages instead.
    console.warn("  (the campaign sent nothing: the floor sends lookalike messages, one per lead)");
    const leads = await sql<{ email: string; first_name: string; n: number }[]>`
      select email, first_name, row_number() over (order by email)::int as n from leads where workspace_id = ${c.workspaceId}`;
    for (const lead of leads) {
      const text = `Hi ${lead.first_name},\n\nTeams like yours use Acme to find the accounts worth calling this week. Worth a 15-minute look?\n\nThe bench\nBench Ltd, 1 Example Street, London\nUnsubscribe: http://localhost/unsubscribe/${randomUUID()}`;
      messages.push({
        id: randomUUID(),
        from_address: `Mailbox ${(lead.n % 10) + 1} <mailbox${(lead.n % 10) + 1}@bench-campaign.test>`,
        to_addresses: [lead.email],
        reply_to: [],
        subject: "Quick idea for your team",
        html: `<p>${text.replaceAll("\n\n", "</p><p>")}</p>`,
        text_body: text,
        headers: {
          "List-Unsubscribe": `<http://localhost/unsubscribe/x>, <mailto:unsubscribe@bench-campaign.test>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          "Message-ID": `<${randomUUID()}@bench-campaign.test>`,
        },
        tags: [
          { name: "workspace_id", value: c.workspaceId },
          { name: "campaign_id", value: c.campaignId },
          { name: "message_id", value: randomUUID() },
          { name: "kind", value: "product" },
        ],
      });
    }
  }
  const resend = new Resend(process.env.LOCAL_RESEND_API_KEY, { baseUrl: `${process.env.APP_URL}/api/local-resend` });
  let next = 0;
  let failed = 0;
  const run = randomUUID().slice(0, 8);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < messages.length; i = next++) {
        const m = messages[i]!;
        const { error } = await resend.emails.send(
          {
            from: m.from_address,
            to: m.to_addresses,
            ...(m.reply_to.length > 0 ? { replyTo: m.reply_to } : {}),
            subject: m.subject,
            ...(m.html !== null ? { html: m.html } : {}),
            text: m.text_body ?? "",
            headers: m.headers,
            tags: m.tags,
          },
          { idempotencyKey: `floor-${run}-${m.id}` },
        );
        if (error) failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (failed > 0) console.warn(`  the floor had ${failed} failed sends`);
  return { messages: messages.length, seconds };
}

async function loadavg(): Promise<string> {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** BENCH_POOL, BENCH_PREPARE=0|1 and BENCH_DURABLE=0 try other executor settings than the defaults. */
function tuning() {
  const env = process.env;
  return {
    ...(env.BENCH_POOL ? { poolSize: Number(env.BENCH_POOL) } : {}),
    ...(env.BENCH_PREPARE ? { prepare: env.BENCH_PREPARE === "1" } : {}),
    ...(env.BENCH_DURABLE === "0" ? { durableCommits: false } : {}),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
