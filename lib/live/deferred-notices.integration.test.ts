/**
 * The send path's live notices, against the real database: its statements carry DEFER_LIVE, so
 * their commits take no notify lock (migration 0069 keeps the triggers silent for that statement
 * alone), and the campaign page still hears of the emails, once, after they committed.
 */
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { openPostgres } from "@/db/postgres-target";
import { env } from "@/lib/env";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { sendNextStep } from "@/lib/sending/send/send-next-step";
import { reapproveTestCampaign, runningCampaign } from "@/lib/sending/send/testing/running-campaign";
import { serveScriptedOutbox, type ScriptedOutbox } from "@/lib/sending/send/testing/scripted-outbox";
import { inngest, type JobContext } from "@/inngest/client";
import { runReaching, send, startTestExecutor, unique } from "@/lib/jobs/testing/harness";
import { DEFER_LIVE, LIVE_COALESCE_MS, LiveNotices, liveNoticeSettings, liveNotices } from "./deferred-notices";
import { LIVE_CHANNEL, parseLiveNotice, type LiveNotice } from "./events";

let outbox: ScriptedOutbox;
let fx: TenancyFixture;
let listener: postgres.Sql;
const heard: LiveNotice[] = [];
const db = () => serviceDb();

beforeAll(async () => {
  outbox = await serveScriptedOutbox();
  process.env.RESEND_BASE_URL = outbox.baseUrl;
  fx = await createTenancyFixture(db());
  listener = openPostgres(env().DATABASE_URL, { max: 1, onnotice: () => {} });
  await listener.listen(LIVE_CHANNEL, (payload) => {
    const notice = parseLiveNotice(payload);
    if (notice) heard.push(notice);
  });
});
afterEach(() => {
  liveNoticeSettings.delayMs = LIVE_COALESCE_MS;
});
afterAll(async () => {
  await listener?.end({ timeout: 5 });
  if (fx) await removeTenancyFixture(fx, db());
  await outbox.close();
});

/** Notifications reach the listener a moment after their commit: what is on its way has arrived after this. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/**
 * What was heard about `id` in this file's workspace since `from` (an index in `heard`), once
 * what was on its way arrived. The channel carries every workspace's notices: test files
 * running beside this one write leads of their own, and a bulk write's notice names no ids.
 */
async function heardOf(id: string, from: number): Promise<LiveNotice[]> {
  await settle();
  return heard.slice(from).filter((n) => n.w === fx.a.id && (n.ids === null || n.ids.includes(id)));
}

describe("a statement that defers its live notices", () => {
  it("notifies nothing at its commit, while the next statement of the same transaction, and any other writer, still does", async () => {
    const leadId = await insertTestLead(fx.a, { email: `deferred-${Date.now()}@leads.example` });
    await settle();
    const touch = (deferred: boolean) =>
      sql`update public.leads set first_name = first_name from (select ${deferred ? DEFER_LIVE : sql`null`} as d) q where id = ${leadId}`;

    let from = heard.length;
    await db().execute(touch(true));
    expect(await heardOf(leadId, from)).toEqual([]);

    from = heard.length;
    await db().transaction(async (tx) => {
      await tx.execute(touch(true));
      await tx.execute(touch(false));
    });
    expect(await heardOf(leadId, from)).toEqual([{ w: fx.a.id, k: "lead", ids: [leadId] }]);

    from = heard.length;
    await db().execute(touch(false));
    expect(await heardOf(leadId, from)).toEqual([{ w: fx.a.id, k: "lead", ids: [leadId] }]);
  });
});

describe("the send step's live notices", () => {
  it("claims and marks emails without notifying at their commits, then tells the campaign page once, after they committed", async () => {
    const r = await runningCampaign(fx.a, 4);
    // A second step: the enrollments move on rather than complete (a campaign that completes says so itself, at once).
    const [step2] = await db().execute<{ id: string }>(sql`
      insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days) values (${fx.a.id}, ${r.campaignId}, 2, 2) returning id`);
    await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
      values (${fx.a.id}, ${r.campaignId}, ${step2!.id}, 'A', 'Re: Bonjour', 'Une relance.')`);
    await reapproveTestCampaign(r.campaignId);
    liveNoticeSettings.delayMs = 60_000;
    // The campaign's approval notified at its commit: heard before counting.
    await settle();

    const from = heard.length;
    const outcomes = await Promise.all(
      r.enrollmentIds.map((enrollmentId) =>
        sendNextStep(db(), { workspaceId: fx.a.id, campaignId: r.campaignId, enrollmentId, generation: 1 }),
      ),
    );
    expect(outcomes.map((o) => o.next)).toEqual(["sleep", "sleep", "sleep", "sleep"]);
    const [sent] = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from public.email_messages where campaign_id = ${r.campaignId} and status = 'sent'`,
    );
    expect(sent!.n).toBe(4);
    // Four emails claimed and marked sent, their enrollments moved on: not one notification yet.
    expect(await heardOf(r.campaignId, from)).toEqual([]);

    await liveNotices(db()).flush();
    expect(await heardOf(r.campaignId, from)).toEqual([{ w: fx.a.id, k: "campaign", ids: [r.campaignId] }]);
  });
});

describe("the job executor's live notices", () => {
  it("claims, saves and puts a run to sleep without notifying at those commits; the Jobs pages hear of it once, by its stop at the latest", async () => {
    const id = unique("fn");
    const event = unique("test/live.deferred");
    const handler = async ({ step }: JobContext<{ name: string; data: Record<string, unknown> }>) => {
      await step.run("work", () => 1);
      await step.sleep("wait", "1h");
    };
    const fn = inngest.createFunction({ id, triggers: [{ event }] } as { id: string }, handler);
    liveNoticeSettings.delayMs = 60_000;
    const executor = await startTestExecutor([{ fn, handler }]);
    try {
      const from = heard.length;
      const run = await runReaching(await send(event, { workspaceId: fx.a.id }), ["sleeping"]);
      // Its creation (the dispatcher's insert) notifies at its commit; running, its step and its sleep do not.
      expect(await heardOf(run.id, from)).toEqual([{ w: fx.a.id, k: "job", ids: [run.id] }]);
      await executor.stop();
      expect(await heardOf(run.id, from)).toEqual([
        { w: fx.a.id, k: "job", ids: [run.id] },
        { w: fx.a.id, k: "job", ids: [run.id] },
      ]);
    } finally {
      await executor.stop();
    }
  });
});

describe("LiveNotices", () => {
  it("sends one notification per workspace and kind for everything noted in its moment, 'many' past 20 ids", async () => {
    const sent: string[][] = [];
    const notices = new LiveNotices(async (payloads) => void sent.push(payloads), 50);
    const w1 = fx.a.id;
    const w2 = fx.b.id;
    const ids = Array.from({ length: 21 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    notices.note(w1, "campaign", [ids[1]!]);
    notices.note(w1, "campaign", [ids[0]!, ids[1]!]);
    notices.note(w2, "campaign", [ids[2]!]);
    notices.note(w2, "lead", ids.slice(0, 20));
    notices.note(w2, "lead", [ids[20]!]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.map((p) => JSON.parse(p))).toEqual([
      { w: w1, k: "campaign", ids: [ids[0], ids[1]] },
      { w: w2, k: "campaign", ids: [ids[2]] },
      { w: w2, k: "lead", ids: null },
    ]);
    // Nothing more to send: nothing is sent.
    await notices.flush();
    expect(sent).toHaveLength(1);
  });
});
