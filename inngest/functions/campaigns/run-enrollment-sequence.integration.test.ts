import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { emailMessages } from "@/db/schema";
import { endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { runReaching, send, startTestExecutor, unique, waitFor, type TestExecutor } from "@/lib/jobs/testing/harness";
import { reapproveTestCampaign, runningCampaign, type RunningCampaign } from "@/lib/sending/send/testing/running-campaign";
import { outboxTo, serveScriptedOutbox, type ScriptedOutbox } from "@/lib/sending/send/testing/scripted-outbox";
import { testSequenceFunction } from "@/lib/sending/send/testing/sequence-function";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * The sequence function run by the local executor, as in production: the cost rule (at most
 * three step executions per email), cancelOn, and retries of provider errors end to end.
 */
let outbox: ScriptedOutbox;
let fx: TenancyFixture;
let executor: TestExecutor;
const sequence = testSequenceFunction(unique("seq"));
const db = () => serviceDb();

beforeAll(async () => {
  outbox = await serveScriptedOutbox();
  process.env.RESEND_BASE_URL = outbox.baseUrl;
  fx = await createTenancyFixture(db());
  executor = await startTestExecutor([sequence], { retry: { baseMs: 50, maxMs: 200 }, pollMs: 50 });
});
afterAll(async () => {
  await executor?.stop();
  if (fx) await removeTenancyFixture(fx, db());
  await outbox.close();
});

async function start(r: RunningCampaign, i: number, generation = 1): Promise<string> {
  return send(sequence.event, {
    workspaceId: fx.a.id,
    campaignId: r.campaignId,
    enrollmentId: r.enrollmentIds[i]!,
    generation,
    identityId: r.identityId,
  });
}

async function addStep(r: RunningCampaign, position: number, delay: { days?: number; hours?: number } = {}) {
  const [step] = await db().execute<{ id: string }>(sql`
    insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days, delay_hours)
    values (${fx.a.id}, ${r.campaignId}, ${position}, ${delay.days ?? 0}, ${delay.hours ?? 0}) returning id`);
  await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
    values (${fx.a.id}, ${r.campaignId}, ${step!.id}, 'A', ${`Step ${position}`}, 'Une relance.')`);
  await reapproveTestCampaign(r.campaignId);
}

/** Step executions the executor recorded for these runs: every attempt of every step it saved. */
async function stepExecutions(runIds: string[]): Promise<number> {
  const [row] = await db().execute<{ n: number }>(sql`
    select coalesce(sum(attempts), 0)::int as n from public.job_steps where run_id = any(${sql.param(runIds)}::uuid[])`);
  return row!.n;
}

describe("the sequence function", () => {
  it("sends every step of every lead once, at no more than three step executions per email", async () => {
    const r = await runningCampaign(fx.a, 8);
    await addStep(r, 2);
    await addStep(r, 3);
    // One lead's first step is due a moment from now: its run sleeps first (the longest path).
    await db().execute(sql`update public.campaign_enrollments set next_send_at = now() + interval '4 seconds'
      where id = ${r.enrollmentIds[0]}`);
    const eventIds = await Promise.all(r.enrollmentIds.map((_, i) => start(r, i)));
    const runs = await Promise.all(eventIds.map((id) => runReaching(id, ["completed", "failed"], 20_000)));
    expect(runs.map((run) => run.status)).toEqual(runs.map(() => "completed"));
    for (const email of r.emails) expect((await outboxTo(email)).map((m) => m.subject)).toEqual(["Bonjour Ada", "Step 2", "Step 3"]);
    const sent = await db().select().from(emailMessages).where(inArray(emailMessages.enrollmentId, r.enrollmentIds));
    expect(sent).toHaveLength(24);
    expect(sent.every((m) => m.status === "sent")).toBe(true);
    const executions = await stepExecutions(runs.map((run) => run.id));
    expect(executions / sent.length).toBeLessThanOrEqual(3);
    // The sleeping lead: a send that found it early, the sleep, the send; the others one step per email.
    expect(executions).toBe(24 + 2);
  });

  it("retries a provider's 5xx and 429 with back-off under the same key, and fails a 4xx at once", async () => {
    const r = await runningCampaign(fx.a, 2);
    outbox.script(
      r.emails[0]!,
      { status: 502, name: "internal_server_error", message: "Bad gateway" },
      { status: 429, name: "rate_limit_exceeded", message: "Too many requests", headers: { "retry-after": "1" } },
    );
    outbox.script(r.emails[1]!, { status: 403, name: "validation_error", message: "The domain is not verified." });
    const [ok, refused] = await Promise.all([start(r, 0), start(r, 1)]);
    const okRun = await runReaching(ok, ["completed", "failed"], 20_000);
    const refusedRun = await runReaching(refused, ["completed", "failed"], 20_000);
    expect(okRun.status).toBe("completed");
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
    const keys = new Set(outbox.requests.filter((q) => q.to === r.emails[0]).map((q) => q.idempotencyKey));
    expect(outbox.requests.filter((q) => q.to === r.emails[0])).toHaveLength(3);
    expect(keys.size).toBe(1);
    expect(refusedRun).toMatchObject({ status: "completed", output: { next: "done", outcome: "failed" } });
    expect(outbox.requests.filter((q) => q.to === r.emails[1])).toHaveLength(1);
  });

  it("is cancelled while it sleeps when its enrollment ends (a reply, an unsubscribe), and sends nothing more", async () => {
    const r = await runningCampaign(fx.a, 1);
    await db().execute(
      sql`update public.campaign_enrollments set next_send_at = now() + interval '1 hour' where id = ${r.enrollmentIds[0]}`,
    );
    const eventId = await start(r, 0);
    await runReaching(eventId, ["sleeping"], 10_000);
    await endEnrollments(db(), { workspaceId: fx.a.id, enrollmentId: r.enrollmentIds[0]!, cause: "replied", reason: "Replied" });
    await runReaching(eventId, ["cancelled"], 10_000);
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
  });

  it("is cancelled while it sleeps when its campaign is paused, and a resumed run continues from its step", async () => {
    const r = await runningCampaign(fx.a, 1);
    await db().execute(
      sql`update public.campaign_enrollments set next_send_at = now() + interval '1 hour' where id = ${r.enrollmentIds[0]}`,
    );
    const eventId = await start(r, 0);
    await runReaching(eventId, ["sleeping"], 10_000);
    await db().execute(sql`update public.campaigns set status = 'paused' where id = ${r.campaignId}`);
    await send("campaigns/campaign.paused", { workspaceId: fx.a.id, campaignId: r.campaignId });
    await runReaching(eventId, ["cancelled"], 10_000);

    await db().execute(sql`update public.campaigns set status = 'running' where id = ${r.campaignId}`);
    await db().execute(sql`update public.campaign_enrollments set generation = 2, next_send_at = now() where id = ${r.enrollmentIds[0]}`);
    const resumed = await start(r, 0, 2);
    expect(await runReaching(resumed, ["completed", "failed"], 10_000)).toMatchObject({ status: "completed" });
    await waitFor(async () => (await outboxTo(r.emails[0]!)).length === 1, { what: "the resumed send" });
  });
});
