import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, campaigns, emailMessages, notifications, workspaces } from "@/db/schema";
import { localFunctions } from "@/inngest";
import { runReaching, startTestExecutor, type TestExecutor } from "@/lib/jobs/testing/harness";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { deliverResendEvent } from "@/tests/fixtures/webhook-delivery";
import { checkBounceBreaker } from "./check-bounce-breaker";

let fx: TenancyFixture;
let executor: TestExecutor;

beforeAll(async () => {
  fx = await createTenancyFixture();
  executor = await startTestExecutor(localFunctions.filter((f) => f.fn.id() === "process-resend-webhook"));
});
afterAll(async () => {
  await executor.stop();
  await removeTenancyFixture(fx);
});

type Sends = { campaignId: string; messages: { id: string; providerId: string }[] };

/** A running campaign of workspace A with `count` sent messages, `bounced` of them already hard-bounced and `complained` complained. */
async function campaignWithSends(count: number, { bounced = 0, complained = 0 } = {}): Promise<Sends> {
  const db = serviceDb();
  const suffix = randomSuffix();
  const leadRows = await db.execute<{ id: string }>(sql`
    insert into public.leads (workspace_id, first_name, email, status)
    select ${fx.a.id}, 'Lead', 'lead-' || g || '-' || ${suffix} || '@client.example', 'contacted' from generate_series(1, ${count}) g
    returning id`);
  const c = await createRunningTestCampaign(
    fx.a.id,
    fx.a.members.sales_rep,
    fx.a.members.admin,
    leadRows.map((r) => r.id),
  );
  const messages = await db.execute<{ id: string; provider_id: string }>(sql`
    insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, status, to_email,
      subject, text_body, provider_id, sent_at)
    select e.workspace_id, e.campaign_id, e.id, ${c.stepId}, 1, e.lead_id, 'sent', l.email, 'Bonjour', 'Un mot.', gen_random_uuid()::text,
      now() - (row_number() over ())::int * interval '1 second'
    from public.campaign_enrollments e join public.leads l on l.id = e.lead_id
    where e.campaign_id = ${c.campaignId}
    returning id, provider_id`);
  const ids = messages.map((m) => m.id);
  if (bounced)
    await db.execute(sql`update public.email_messages set bounce_type = 'hard', bounced_at = now() where id in ${ids.slice(0, bounced)}`);
  if (complained)
    await db.execute(sql`update public.email_messages set complained_at = now() where id in ${ids.slice(bounced, bounced + complained)}`);
  return { campaignId: c.campaignId, messages: messages.map((m) => ({ id: m.id, providerId: m.provider_id })).slice(bounced + complained) };
}

/** Delivers one event for the campaign's next untouched message and waits for its job to finish. */
async function deliver(s: Sends, type: "email.bounced" | "email.complained") {
  const m = s.messages.shift()!;
  const receiptId = await deliverResendEvent(type, {
    email_id: m.providerId,
    tags: { workspace_id: fx.a.id, message_id: m.id },
    ...(type === "email.bounced" ? { bounce: { type: "Permanent", message: "550 no such user" } } : {}),
  });
  const [event] = await serviceDb().execute<{ id: string }>(
    sql`select id from public.job_events where name = 'email/resend-webhook.received' and data->>'receiptId' = ${receiptId}`,
  );
  return runReaching(event!.id, ["completed", "failed"], 15_000);
}

const campaignOf = async (id: string) => (await serviceDb().select().from(campaigns).where(eq(campaigns.id, id)))[0]!;

describe("the bounce breaker", () => {
  it("pauses a campaign whose hard-bounce rate over its last 100 sends passes 2 %: reason, audit, admins told, runs cancelled", async () => {
    const s = await campaignWithSends(100, { bounced: 2 });
    const run = await deliver(s, "email.bounced");
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({ breaker: { paused: true, figures: { sends: 100, hardBounces: 3, complaints: 0 } } });
    const campaign = await campaignOf(s.campaignId);
    expect(campaign).toMatchObject({ status: "paused", pausedBy: null, pausedAt: expect.any(Date) });
    expect(campaign.pauseReason).toMatch(/3 of its last 100 emails hard-bounced \(3 %, above the 2 % limit\)/);
    const audits = await serviceDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.action, "campaign.auto_paused"), eq(auditLog.targetId, s.campaignId)));
    expect(audits).toMatchObject([{ actorId: null, metadata: { sends: 100, hardBounces: 3 } }]);
    const told = await serviceDb()
      .select({ userId: notifications.userId, kind: notifications.kind, link: notifications.link })
      .from(notifications)
      .where(and(eq(notifications.subjectId, s.campaignId), eq(notifications.kind, "campaign_auto_paused")));
    expect(told).toEqual([{ userId: fx.a.members.admin.id, kind: "campaign_auto_paused", link: `/campaigns/${s.campaignId}` }]);
    const paused = await serviceDb().execute(
      sql`select 1 from public.job_events where name = 'campaigns/campaign.paused' and data->>'campaignId' = ${s.campaignId}`,
    );
    expect(paused).toHaveLength(1);
  });

  it("leaves a campaign running at exactly the threshold", async () => {
    const s = await campaignWithSends(100, { bounced: 1 });
    const run = await deliver(s, "email.bounced");
    expect(run.output).toMatchObject({ breaker: { paused: false } });
    expect((await campaignOf(s.campaignId)).status).toBe("running");
  });

  it("pauses on one complaint in 100 sends (above 0.1 %)", async () => {
    const s = await campaignWithSends(100);
    await deliver(s, "email.complained");
    const campaign = await campaignOf(s.campaignId);
    expect(campaign.status).toBe("paused");
    expect(campaign.pauseReason).toMatch(/marked as spam \(1 %, above the 0.1 % limit\)/);
  });

  it("does not judge before the workspace's minimum of sends", async () => {
    const s = await campaignWithSends(40, { bounced: 10 });
    await deliver(s, "email.bounced");
    expect((await campaignOf(s.campaignId)).status).toBe("running");
  });

  it("counts only the latest sends, and pauses once however often it is asked", async () => {
    const s = await campaignWithSends(150, { bounced: 3 });
    // The 3 bounces are the oldest sends (sent_at descends with the row order): outside the last 100.
    await serviceDb()
      .update(emailMessages)
      .set({ sentAt: sql`now() - interval '1 day'` })
      .where(sql`${emailMessages.campaignId} = ${s.campaignId} and ${emailMessages.bounceType} = 'hard'`);
    expect(await checkBounceBreaker({ workspaceId: fx.a.id, campaignId: s.campaignId })).toEqual({ paused: false });
    await serviceDb()
      .update(emailMessages)
      .set({ sentAt: sql`now()` })
      .where(sql`${emailMessages.campaignId} = ${s.campaignId} and ${emailMessages.bounceType} = 'hard'`);
    const results = await Promise.all([1, 2, 3].map(() => checkBounceBreaker({ workspaceId: fx.a.id, campaignId: s.campaignId })));
    expect(results.filter((r) => r.paused)).toHaveLength(1);
    const audits = await serviceDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "campaign.auto_paused"), eq(auditLog.targetId, s.campaignId)));
    expect(audits).toHaveLength(1);
  });

  it("follows the workspace's own thresholds", async () => {
    await serviceDb().update(workspaces).set({ bounceRateThreshold: 0.05 }).where(eq(workspaces.id, fx.a.id));
    try {
      const s = await campaignWithSends(100, { bounced: 3 });
      await deliver(s, "email.bounced");
      expect((await campaignOf(s.campaignId)).status).toBe("running");
    } finally {
      await serviceDb().update(workspaces).set({ bounceRateThreshold: 0.02 }).where(eq(workspaces.id, fx.a.id));
    }
  });
});
