import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { campaigns, instantlyCampaignPushes, jobEvents } from "@/db/schema";
import { launchCampaign } from "@/lib/campaigns/lifecycle/launch-campaign";
import { pauseCampaign } from "@/lib/campaigns/lifecycle/pause-campaign";
import { resumeCampaign } from "@/lib/campaigns/lifecycle/resume-campaign";
import { stopCampaign } from "@/lib/campaigns/lifecycle/stop-campaign";
import { env } from "@/lib/env";
import { connectIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { instantlyCampaignTaken, PUSH_CONTENT_CHANGED } from "@/lib/integrations/instantly/push/push-campaign";
import { getAnalytics } from "@/lib/analytics/get-analytics";
import { startFakeInstantly, type FakeInstantly } from "@/lib/integrations/instantly/testing/fake-instantly";
import { approveCampaign } from "@/lib/campaigns/approval/approve-campaign";
import { campaignContent } from "@/lib/campaigns/content-hash";
import { createTestCampaign, submitTestCampaign } from "@/tests/fixtures/submitted-campaign";
import { asUser, claimsFor, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { unsubscribeLead } from "@/lib/suppressions/unsubscribe-lead";
import { addSuppressionByHand, importSuppressions } from "@/lib/suppressions/manage-suppressions";
import { startBulkOperation } from "@/lib/leads/bulk/start-bulk-operation";
import { undoBulkDelete } from "@/lib/leads/bulk/undo-bulk-delete";
import { takeDeletedLeadsOutOfInstantlyFunction } from "@/inngest/functions/leads/take-deleted-leads-out-of-instantly";
import {
  holdFailedPush,
  mirrorToInstantlyFunction,
  notifyFailedMirrorRun,
  pushToInstantlyFunction,
  removeLeadFromInstantlyFunction,
} from "./push-to-instantly";
import { syncInstantlyFunction } from "./sync-instantly";
import { getInstantlyDelivery } from "@/lib/integrations/instantly/push/delivery";
import { IN_ANOTHER_INSTANTLY_SEQUENCE } from "@/lib/integrations/instantly/push/enroll-pushed-leads";
import { signatureNote } from "@/components/campaigns/lifecycle/instantly-signature-note";

const KEY = "instantly-push-key-0001";
const fake: FakeInstantly = await startFakeInstantly({ keys: { [KEY]: ["all:all"] } });
// Before anything reads the environment: env() is parsed once per process.
process.env.INSTANTLY_API_URL = fake.url;

let fx: TenancyFixture;
const db = () => serviceDb();
const admin = () => fx.a.members.admin;
const rep = () => fx.a.members.sales_rep;
const actor = () => ({ userId: admin().id, workspaceId: fx.a.id, role: "admin" as const });

/** `n` leads of the audience (country FR), every third with an icebreaker; one without a first name. */
async function insertAudience(n: number, country = "FR") {
  await db().execute(sql`
    insert into public.leads (workspace_id, first_name, email, title, country, enrichment)
    select ${fx.a.id}, case when g = 1 then null else 'Zoë ' || g end, 'lead' || g || '-' || ${country} || '@example.test',
      'Owner', ${country},
      case when g % 3 = 0 then jsonb_build_object('icebreaker', 'Loved your terrace, ' || g) else '{}'::jsonb end
    from generate_series(1, ${n}) g`);
}

/**
 * An approved campaign of the leads of `country`: one step with variants A and B half and half (B
 * with the icebreaker); its identity a sending account of the Instantly workspace unless
 * `connected` is false. The approval runs pre-flight: insert the audience first.
 */
async function approvedCampaign(
  country = "FR",
  {
    connected = true,
    secondSender,
    name,
  }: { connected?: boolean; secondSender?: { email: string; signature: string }; name?: string } = {},
) {
  const { campaignId, stepId, identityId } = await createTestCampaign(fx.a.id, rep(), { submit: false, ...(name ? { name } : {}) });
  const [identity] = await db().execute<{ from_email: string }>(
    sql`select from_email from public.sending_identities where id = ${identityId}`,
  );
  if (connected) fake.data.accounts.push({ email: identity!.from_email, status: 1 });
  if (secondSender) {
    const [second] = await db().execute<{ id: string }>(sql`
      insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, signature)
      values (${fx.a.id}, 'Anna', ${secondSender.email}, '1 Rue de la Paix, 75002 Paris', ${secondSender.signature}) returning id`);
    await db().execute(sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id)
      values (${fx.a.id}, ${campaignId}, ${second!.id})`);
    fake.data.accounts.push({ email: secondSender.email, status: 1 });
  }
  await db().execute(sql`update public.campaigns set audience = ${JSON.stringify({ kind: "filter", query: `country=${country}` })}::jsonb
    where id = ${campaignId}`);
  await db().execute(sql`update public.campaign_step_variants set weight = 50 where step_id = ${stepId}`);
  await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body)
    values (${fx.a.id}, ${campaignId}, ${stepId}, 'B', 50, 'Une idée, {{ first_name | default: "vous" }}', '{{ icebreaker | default: "Bonjour" }}.')`);
  await submitTestCampaign(rep(), campaignId);
  const content = await campaignContent(db(), campaignId);
  await asUser(admin(), (tx) =>
    approveCampaign(
      tx,
      { userId: admin().id, current: { workspaceId: fx.a.id, role: "admin" } },
      { campaignId, reviewedHash: content!.hash },
    ),
  );
  return campaignId;
}

async function pushEvent(campaignId: string) {
  const [event] = await db()
    .select({ data: jobEvents.data })
    .from(jobEvents)
    .where(and(eq(jobEvents.name, "integrations/instantly-push.requested"), sql`${jobEvents.data}->>'campaignId' = ${campaignId}`))
    .orderBy(sql`${jobEvents.createdAt} desc`)
    .limit(1);
  return event?.data as Record<string, unknown> | undefined;
}

async function mirrorEvents(campaignId: string) {
  const rows = await db()
    .select({ data: jobEvents.data })
    .from(jobEvents)
    .where(and(eq(jobEvents.name, "integrations/instantly-mirror.requested"), sql`${jobEvents.data}->>'campaignId' = ${campaignId}`));
  return rows.map((r) => r.data as Record<string, unknown>);
}

async function mirrorEvent(campaignId: string, action: string) {
  const event = (await mirrorEvents(campaignId)).find((e) => e.action === action);
  expect(event).toMatchObject({ workspaceId: fx.a.id, campaignId, action });
  return event!;
}

async function runPush(campaignId: string) {
  const data = await pushEvent(campaignId);
  expect(data).toBeDefined();
  const engine = new InngestTestEngine({
    function: pushToInstantlyFunction,
    events: [{ name: "integrations/instantly-push.requested", data } as EventPayload],
  });
  return (await engine.execute()) as { result?: { instantlyCampaignId: string; leads: number; status: string }; error?: Error };
}

async function runMirror(data: Record<string, unknown>) {
  const engine = new InngestTestEngine({
    function: mirrorToInstantlyFunction,
    events: [{ name: "integrations/instantly-mirror.requested", data } as EventPayload],
  });
  return (await engine.execute()) as { result?: { mirrored: boolean; status: string }; error?: Error };
}

const push = async (campaignId: string) =>
  (await db().select().from(instantlyCampaignPushes).where(eq(instantlyCampaignPushes.campaignId, campaignId)))[0];

const launchThroughInstantly = (campaignId: string) =>
  asUser(admin(), (tx) => launchCampaign(tx, actor(), { campaignId, deliverThrough: "instantly" }));

const posts = (path: string) => fake.requests.filter((r) => r.method === "POST" && r.path === path);

async function setWorkspaceZone(zone: string) {
  await db().execute(sql`update public.workspaces set time_zone = ${zone} where id = ${fx.a.id}`);
}

beforeAll(async () => {
  expect(env().INSTANTLY_API_URL).toBe(fake.url);
  fx = await createTenancyFixture(db());
  await asUser(admin(), (tx) =>
    connectIntegrationAccount(tx, { workspaceId: fx.a.id, userId: admin().id, role: "admin" }, { vendor: "instantly", apiKey: KEY }),
  );
  await insertAudience(2_050);
  await setWorkspaceZone("America/New_York");
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
  await fake.close();
});
beforeEach(async () => {
  // Each push starts from an empty Instantly workspace (its leads would be skipped otherwise).
  fake.data.campaigns.length = 0;
  fake.data.leads.length = 0;
  fake.requests.length = 0;
  // …and with the audience free: a lead active in an earlier test's campaign would be left out.
  await db().execute(sql`update public.campaign_enrollments
    set status = 'stopped', end_cause = 'campaign_stopped', stop_reason = 'test reset', finished_at = now()
    where workspace_id = ${fx.a.id} and status = 'active'`);
});

/** The campaign's enrollments: status, end cause, Instantly's lead id and the lead's address. */
async function enrollmentsOf(campaignId: string) {
  return db().execute<{ status: string; end_cause: string | null; instantly_lead_id: string | null; email: string; identity_id: null }>(sql`
    select e.status, e.end_cause, e.instantly_lead_id, l.email, e.identity_id from public.campaign_enrollments e
    join public.leads l on l.id = e.lead_id where e.campaign_id = ${campaignId} order by l.email`);
}

/** The undo window as over: what the job reads once its time has passed. */
const UNDO_PASSED = { busy: false, undoableUntil: "2000-01-01T00:00:00.000000Z" };

/**
 * The queued exits of deleted leads from Instantly (leads/instantly-exit.requested), each run to
 * its end with the undo window passed at once (a durable sleep never ends in the test engine).
 */
async function runDeletedLeadsExit() {
  const queued = await db()
    .select({ id: jobEvents.id, data: jobEvents.data })
    .from(jobEvents)
    .where(and(eq(jobEvents.name, "leads/instantly-exit.requested"), sql`${jobEvents.data}->>'workspaceId' = ${fx.a.id}`));
  let last: { result?: { deleted: number; suppressed: number }; error?: Error } = {};
  for (const event of queued) {
    const engine = new InngestTestEngine({
      function: takeDeletedLeadsOutOfInstantlyFunction,
      events: [{ name: "leads/instantly-exit.requested", data: event.data } as EventPayload],
      steps: [
        { id: "undo-window-0", handler: () => undefined },
        { id: "look-1", handler: () => UNDO_PASSED },
      ],
    });
    last = (await engine.execute()) as typeof last;
    await db().delete(jobEvents).where(eq(jobEvents.id, event.id));
  }
  return last;
}

async function runSync(accountId: string) {
  const engine = new InngestTestEngine({
    function: syncInstantlyFunction,
    events: [
      { name: "integrations/instantly-sync.requested", data: { workspaceId: fx.a.id, accountId, requestedBy: null } } as EventPayload,
    ],
  });
  return (await engine.execute()) as { result?: Record<string, Record<string, unknown>>; error?: Error };
}

async function campaignRow(campaignId: string) {
  const [row] = await db()
    .select({ status: campaigns.status, enrolledAt: campaigns.enrolledAt, finishedAt: campaigns.finishedAt })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  return row!;
}

describe("launching a campaign through Instantly", () => {
  it("creates the campaign as a draft with its steps, A/B variants, mapped time zone and identities, adds the leads by 1,000, then activates it", async () => {
    const campaignId = await approvedCampaign();
    await launchThroughInstantly(campaignId);
    const [row] = await db()
      .select({ delivery: campaigns.delivery, status: campaigns.status })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId));
    expect(row).toEqual({ delivery: "instantly", status: "running" });
    // Not through Resend: no enrollment launch was asked for.
    expect(
      await db().$count(
        jobEvents,
        and(eq(jobEvents.name, "campaigns/launch.requested"), sql`${jobEvents.data}->>'campaignId' = ${campaignId}`),
      ),
    ).toBe(0);

    const { result, error } = await runPush(campaignId);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ leads: 2_050, status: "active" });

    const [created] = posts("/campaigns");
    expect(posts("/campaigns")).toHaveLength(1);
    const body = created!.body as Record<string, any>;
    expect(body.name).toMatch(/^Cafés in Lyon \[LIP [0-9a-f]{8}\]$/);
    // America/New_York is not on Instantly's list: the same clock is America/Detroit.
    expect(body.campaign_schedule.schedules).toEqual([
      {
        name: "Window 1",
        timing: { from: "09:00", to: "17:00" },
        days: { "0": false, "1": true, "2": true, "3": true, "4": true, "5": true, "6": false },
        timezone: "America/Detroit",
      },
    ]);
    expect(body.email_list).toEqual([expect.stringMatching(/^zoe-.*@acme\.example$/)]);
    expect(body.sequences).toEqual([
      {
        steps: [
          {
            type: "email",
            delay: 0,
            delay_unit: "days",
            variants: [
              { subject: "{{lip_s1_a_subject}}", body: "{{lip_s1_a_body}}" },
              { subject: "{{lip_s1_b_subject}}", body: "{{lip_s1_b_body}}" },
            ],
          },
        ],
      },
    ]);

    // Batches of at most 1,000, each looked up by address first, without Instantly's skip flag
    // (it would skip every lead ever in any campaign); lead 1 has no first name and the subject's
    // fallback covers it; every lead is there once.
    const adds = posts("/leads/add");
    expect(adds.map((r) => (r.body!.leads as unknown[]).length)).toEqual([1_000, 1_000, 50]);
    expect(adds.every((r) => r.body!.campaign_id === result!.instantlyCampaignId && r.body!.skip_if_in_campaign === false)).toBe(true);
    expect(posts("/leads/list").filter((r) => Array.isArray(r.body!.contacts) && !r.body!.campaign)).toHaveLength(3);
    const emails = fake.data.leads.map((l) => l.email);
    expect(new Set(emails).size).toBe(2_050);
    const lead3 = fake.data.leads.find((l) => l.email === "lead3-fr@example.test")!;
    expect(lead3).toMatchObject({
      first_name: "Zoë 3",
      job_title: "Owner",
      custom_variables: {
        icebreaker: "Loved your terrace, 3",
        lip_s1_a_subject: "Bonjour Zoë 3",
        lip_s1_a_body: expect.stringContaining("Un mot rapide."),
        lip_s1_b_subject: "Une idée, Zoë 3",
        lip_s1_b_body: expect.stringContaining("Loved your terrace, 3."),
      },
    });
    expect(String((lead3.custom_variables as Record<string, string>).lip_s1_a_body)).toContain("/unsubscribe/");
    const lead2 = fake.data.leads.find((l) => l.email === "lead2-fr@example.test")!;
    expect(lead2.custom_variables).not.toHaveProperty("icebreaker");
    expect(String((lead2.custom_variables as Record<string, string>).lip_s1_b_body)).toContain("Bonjour.");
    expect(fake.data.leads.find((l) => l.email === "lead1-fr@example.test")!.custom_variables).toMatchObject({
      lip_s1_a_subject: "Bonjour vous",
    });

    // Activated last, once every lead was added.
    const last = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect(last.path).toBe(`/campaigns/${result!.instantlyCampaignId}/activate`);
    expect(fake.data.campaigns[0]!.status).toBe(1);
    expect(await push(campaignId)).toMatchObject({
      status: "active",
      instantlyCampaignId: result!.instantlyCampaignId,
      instantlyTimeZone: "America/Detroit",
      batchesDone: 3,
      leadsSent: 2_050,
      leadsUploaded: 2_050,
      leadsDone: true,
      activatedAt: expect.any(Date),
    });
    // Each lead enrolled here with Instantly's id for it, and no mailbox of ours (Instantly picks
    // the sending account); the whole audience enrolled, so the campaign can complete.
    const enrolled = await enrollmentsOf(campaignId);
    expect(enrolled).toHaveLength(2_050);
    const idOf = new Map(fake.data.leads.map((l) => [l.email, l.id]));
    expect(
      enrolled.every((e) => e.status === "active" && e.instantly_lead_id === idOf.get(e.email.toLowerCase()) && e.identity_id === null),
    ).toBe(true);
    expect(await campaignRow(campaignId)).toMatchObject({ status: "running", enrolledAt: expect.any(Date) });
  });

  it("refuses before pushing a workspace time zone Instantly has no equivalent for, naming it", async () => {
    const campaignId = await approvedCampaign();
    await setWorkspaceZone("America/Los_Angeles");
    try {
      await expect(launchThroughInstantly(campaignId)).rejects.toThrow(/"America\/Los_Angeles"/);
    } finally {
      await setWorkspaceZone("America/New_York");
    }
    const [row] = await db()
      .select({ status: campaigns.status, delivery: campaigns.delivery })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId));
    expect(row).toEqual({ status: "approved", delivery: "resend" });
    expect(await pushEvent(campaignId)).toBeUndefined();
    expect(fake.requests).toHaveLength(0);
  });

  it("pages through the audience 1,000 leads at a time, left-out ones included, so a page with nothing to add moves on", async () => {
    await insertAudience(1_100, "BE");
    const campaignId = await approvedCampaign("BE");
    // The first page, in id order, is all suppressed addresses: nothing of it goes to Instantly.
    await db().execute(sql`insert into public.suppressions (workspace_id, kind, value, reason)
      select workspace_id, 'email', lower(email), 'manual' from public.leads
      where workspace_id = ${fx.a.id} and country = 'BE' order by id limit 1000`);
    await launchThroughInstantly(campaignId);
    const { result, error } = await runPush(campaignId);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ leads: 100, status: "active" });
    const adds = posts("/leads/add").filter((r) => r.body!.campaign_id === result!.instantlyCampaignId);
    expect(adds.map((r) => (r.body!.leads as unknown[]).length)).toEqual([100]);
    // Two pages read: the suppressed thousand, then the hundred; never the whole audience per batch.
    expect(await push(campaignId)).toMatchObject({ batchesDone: 2, leadsSent: 100, leadsDone: true });
    expect(await enrollmentsOf(campaignId)).toHaveLength(100);
  });

  it("resumes a push that failed half-way: one Instantly campaign, no lead added twice", async () => {
    const campaignId = await approvedCampaign();
    await launchThroughInstantly(campaignId);
    // The creation reaches Instantly but its answer is lost: not retried by the client.
    fake.fail({ path: "/campaigns", method: "POST", status: 502, afterHandling: true });
    const first = await runPush(campaignId);
    expect(first.error).toBeDefined();
    expect(fake.data.campaigns).toHaveLength(1);
    expect((await push(campaignId))!.instantlyCampaignId).toBeNull();

    // Batch 2 reaches Instantly but its answer is lost: the client does not send it again (without
    // skip flags that would add its 1,000 leads twice); the step fails.
    fake.fail({ path: "/leads/add", skip: 1, status: 500, afterHandling: true });
    const second = await runPush(campaignId);
    expect(second.error).toBeDefined();
    expect(posts("/leads/add")).toHaveLength(2);
    // The campaign created by the lost answer was found by its name, not created again.
    expect(posts("/campaigns")).toHaveLength(1);
    expect(fake.data.campaigns).toHaveLength(1);
    expect(await push(campaignId)).toMatchObject({
      batchesDone: 1,
      leadsUploaded: 1_000,
      status: "pushing",
      lastError: expect.any(String),
    });

    const third = await runPush(campaignId);
    expect(third.error).toBeUndefined();
    expect(third.result).toMatchObject({ instantlyCampaignId: fake.data.campaigns[0]!.id, status: "active" });
    expect(posts("/campaigns")).toHaveLength(1);
    expect(fake.data.campaigns).toHaveLength(1);
    const emails = fake.data.leads.map((l) => l.email);
    expect(emails).toHaveLength(2_050);
    expect(new Set(emails).size).toBe(2_050);
    // Batch 2 sent again from the stored cursor: looked up by address first, its 1,000 leads were
    // found in the campaign and none was added again; they count as added, once.
    expect(await push(campaignId)).toMatchObject({
      batchesDone: 3,
      leadsUploaded: 2_050,
      leadsSkipped: 0,
      leadsDone: true,
      status: "active",
    });
    expect(posts("/leads/add").at(-1)!.body!.leads).toHaveLength(50);
    const enrolled = await enrollmentsOf(campaignId);
    expect(enrolled).toHaveLength(2_050);
    const idOf = new Map(fake.data.leads.map((l) => [l.email, l.id]));
    expect(enrolled.filter((e) => e.status === "active" && e.instantly_lead_id === idOf.get(e.email.toLowerCase()))).toHaveLength(2_050);
  }, 60_000);

  it("leaves out, saying why, a lead another Instantly campaign is sending a sequence to, and adds one whose sequence or campaign ended", async () => {
    await insertAudience(4, "PT");
    const campaignId = await approvedCampaign("PT");
    // In campaigns of the Instantly workspace that are not ours: lead1-PT still in sequence; lead2-PT finished
    // (a follow-up reaches them); lead4-PT still "active" in a campaign the last sync saw completed.
    fake.data.leads.push(
      { id: "0100f000-0000-7000-8000-000000000001", email: "lead1-pt@example.test", campaign: "theirs", status: 1 },
      { id: "0100f000-0000-7000-8000-000000000002", email: "lead2-pt@example.test", campaign: "earlier", status: 3 },
      { id: "0100f000-0000-7000-8000-000000000004", email: "lead4-pt@example.test", campaign: "their-completed", status: 1 },
    );
    await db().execute(sql`insert into public.instantly_campaigns (workspace_id, instantly_id, raw)
      values (${fx.a.id}, 'their-completed', ${JSON.stringify({ id: "their-completed", status: 3 })}::jsonb)`);
    await launchThroughInstantly(campaignId);
    expect((await runPush(campaignId)).result).toMatchObject({ leads: 3, status: "active" });
    const ours = fake.data.campaigns[0]!.id;
    const added = (n: number) => ({
      status: "active",
      end_cause: null,
      instantly_lead_id: fake.data.leads.find((l) => l.email === `lead${n}-pt@example.test` && l.campaign === ours)!.id,
      email: `lead${n}-PT@example.test`,
      identity_id: null,
    });
    expect(await enrollmentsOf(campaignId)).toEqual([
      { status: "skipped", end_cause: "provider_rejected", instantly_lead_id: null, email: "lead1-PT@example.test", identity_id: null },
      added(2),
      added(3),
      added(4),
    ]);
    const [reason] = await db().execute<{ stop_reason: string }>(sql`
      select e.stop_reason from public.campaign_enrollments e join public.leads l on l.id = e.lead_id
      where e.campaign_id = ${campaignId} and l.email = 'lead1-PT@example.test'`);
    expect(reason!.stop_reason).toBe(IN_ANOTHER_INSTANTLY_SEQUENCE);
    expect(posts("/leads/add").flatMap((r) => (r.body!.leads as { email: string }[]).map((l) => l.email).sort())).toEqual([
      "lead2-PT@example.test",
      "lead3-PT@example.test",
      "lead4-PT@example.test",
    ]);
    // The one left out is not counted as sent.
    expect(await push(campaignId)).toMatchObject({ leadsSent: 3, leadsUploaded: 3, leadsSkipped: 1 });
  });

  it("adds a lead still 'active' in the Instantly campaign of one of ours that was stopped (Instantly keeps it paused with its leads)", async () => {
    await insertAudience(2, "GR");
    const first = await approvedCampaign("GR", { name: "Erste Welle" });
    await launchThroughInstantly(first);
    expect((await runPush(first)).result).toMatchObject({ leads: 2, status: "active" });
    await asUser(admin(), (tx) => stopCampaign(tx, actor(), { campaignId: first }));
    fake.requests.length = 0;
    const followUp = await approvedCampaign("GR", { name: "Zweite Welle" });
    await launchThroughInstantly(followUp);
    expect((await runPush(followUp)).result).toMatchObject({ leads: 2, status: "active" });
    expect((await enrollmentsOf(followUp)).map((e) => e.status)).toEqual(["active", "active"]);
  });

  it("signs every lead's copy with one sender, the first by address, and says so when the senders sign differently", async () => {
    const anna = `anna-${Date.now()}@acme.example`;
    await insertAudience(4, "NL");
    const campaignId = await approvedCampaign("NL", { secondSender: { email: anna, signature: "Anna, head of partnerships" } });
    const delivery = await asUser(admin(), (tx) => getInstantlyDelivery(tx, fx.a.id, campaignId));
    expect(delivery.signature).toEqual({ fromEmail: anna, differing: [expect.stringMatching(/^zoe-.*@acme\.example$/)] });
    expect(signatureNote(delivery.signature)).toMatch(
      new RegExp(
        `^Every email carries the signature and postal address of ${anna.replace(/\./g, "\\.")}: Instantly chooses .* signs differently`,
      ),
    );
    await launchThroughInstantly(campaignId);
    expect((await runPush(campaignId)).result).toMatchObject({ leads: 4, status: "active" });
    expect((posts("/campaigns")[0]!.body as { email_list: string[] }).email_list[0]).toBe(anna);
    const bodies = fake.data.leads.map((l) => String((l.custom_variables as Record<string, string>).lip_s1_a_body));
    expect(bodies).toHaveLength(4);
    expect(bodies.every((b) => b.includes("Anna, head of partnerships") && !b.includes(">Zoë<"))).toBe(true);
  });

  it("follows each lead's state in Instantly on its enrollment through the sync, and completes the campaign when the last one ends", async () => {
    await insertAudience(5, "ES");
    const campaignId = await approvedCampaign("ES");
    await launchThroughInstantly(campaignId);
    const data = (await pushEvent(campaignId))!;
    expect((await runPush(campaignId)).result).toMatchObject({ leads: 5, status: "active" });
    const inInstantly = (n: number) => fake.data.leads.find((l) => l.email === `lead${n}-es@example.test`)!;
    // Instantly's news: 1 finished its sequence, 2 bounced, 3 replied, 4 unsubscribed; 5 still in sequence.
    Object.assign(inInstantly(1), { status: 3 });
    Object.assign(inInstantly(2), { status: -1 });
    Object.assign(inInstantly(3), { status: 1, email_reply_count: 1 });
    Object.assign(inInstantly(4), { status: -2 });

    const first = await runSync(String(data.accountId));
    expect(first.error).toBeUndefined();
    expect(first.result!.pushed_campaigns).toMatchObject({
      // The campaign's leads, then the empty page that ends the list.
      requests: 2,
      enrollments: { completed: 1, completedCampaigns: 0 },
    });
    expect((await enrollmentsOf(campaignId)).map((e) => [e.email, e.status, e.end_cause])).toEqual([
      ["lead1-ES@example.test", "completed", null],
      ["lead2-ES@example.test", "stopped", "bounced"],
      ["lead3-ES@example.test", "stopped", "replied"],
      ["lead4-ES@example.test", "stopped", "unsubscribed"],
      ["lead5-ES@example.test", "active", null],
    ]);
    // The bounce reached the lead and the suppression list as any Instantly bounce does.
    const [bounced] = await db().execute<{ status: string }>(sql`
      select status from public.leads where workspace_id = ${fx.a.id} and email = 'lead2-ES@example.test'`);
    expect(bounced!.status).toBe("bounced");
    expect(await campaignRow(campaignId)).toMatchObject({ status: "running", finishedAt: null });

    // The last lead finishes its sequence in Instantly: the next sync completes the campaign, audited.
    Object.assign(inInstantly(5), { status: 3 });
    const second = await runSync(String(data.accountId));
    expect(second.result!.pushed_campaigns).toMatchObject({ enrollments: { completed: 1, ended: 0, completedCampaigns: 1 } });
    expect(await campaignRow(campaignId)).toMatchObject({ status: "completed", finishedAt: expect.any(Date) });
    const [audit] = await db().execute<{ n: number }>(sql`
      select count(*)::int as n from public.audit_log where action = 'campaign.completed' and target_id = ${campaignId}`);
    expect(audit!.n).toBe(1);

    // A completed campaign is followed no more: the next sync asks Instantly nothing about it.
    const third = await runSync(String(data.accountId));
    expect(third.result!.pushed_campaigns).toMatchObject({ requests: 0 });
  });

  it("refuses, naming them, identities that are not sending accounts in Instantly, before creating anything; the campaign pauses saying so", async () => {
    const campaignId = await approvedCampaign("FR", { connected: false });
    await launchThroughInstantly(campaignId);
    const { error } = await runPush(campaignId);
    expect(error?.message).toMatch(/^Instantly sends only from the sending accounts connected to it, and zoe-.*@acme\.example is not one/);
    expect(posts("/campaigns")).toHaveLength(0);
    expect(await push(campaignId)).toMatchObject({ status: "failed", lastError: error!.message, instantlyCampaignId: null });
    // The run's retries spent (this refusal is not retried): the campaign pauses itself, saying so.
    await holdFailedPush({ event: { data: { event: { data: await pushEvent(campaignId) } } }, error: error! });
    const [row] = await db()
      .select({ status: campaigns.status, pauseReason: campaigns.pauseReason })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId));
    expect(row).toEqual({ status: "paused", pauseReason: expect.stringContaining("Sending this campaign to Instantly failed") });
  });

  it("refuses to push content that differs from the approved hash", async () => {
    const campaignId = await approvedCampaign();
    await launchThroughInstantly(campaignId);
    await db().execute(sql`update public.campaign_step_variants set subject = 'Changed after approval' where campaign_id = ${campaignId}`);
    const { error } = await runPush(campaignId);
    expect(error?.message).toBe(PUSH_CONTENT_CHANGED);
    expect(posts("/campaigns")).toHaveLength(0);
    expect(posts("/leads/add")).toHaveLength(0);
    expect(await push(campaignId)).toMatchObject({ status: "failed", lastError: PUSH_CONTENT_CHANGED, instantlyCampaignId: null });
  });

  it("mirrors pause, resume and stop on the Instantly campaign", async () => {
    await insertAudience(3, "DE");
    const campaignId = await approvedCampaign("DE");
    await launchThroughInstantly(campaignId);
    expect((await runPush(campaignId)).result).toMatchObject({ leads: 3, status: "active" });
    const instantlyCampaign = fake.data.campaigns[0]!;

    await asUser(admin(), (tx) => pauseCampaign(tx, actor(), { campaignId, reason: "Checking the copy" }));
    expect(await mirrorEvents(campaignId)).toHaveLength(1);
    const pause = await mirrorEvent(campaignId, "pause");
    expect((await runMirror(pause)).result).toEqual({ mirrored: true, status: "paused" });
    expect(instantlyCampaign.status).toBe(2);
    expect(posts(`/campaigns/${instantlyCampaign.id}/pause`)).toHaveLength(1);

    await asUser(admin(), (tx) => resumeCampaign(tx, actor(), { campaignId }));
    const resume = await mirrorEvent(campaignId, "resume");
    expect((await runMirror(resume)).result).toEqual({ mirrored: true, status: "active" });
    expect(instantlyCampaign.status).toBe(1);
    // Resumed on Instantly, not through our own sequences.
    expect(
      await db().$count(
        jobEvents,
        and(eq(jobEvents.name, "campaigns/resume.requested"), sql`${jobEvents.data}->>'campaignId' = ${campaignId}`),
      ),
    ).toBe(0);

    // Paused again; then the earlier resume runs once more (a retry that waited outside the
    // concurrency slot, or a replay from the Jobs page): Instantly must stay paused with ours.
    await asUser(admin(), (tx) => pauseCampaign(tx, actor(), { campaignId, reason: "Bounces" }));
    expect(await mirrorEvents(campaignId)).toHaveLength(3);
    expect((await runMirror(await mirrorEvent(campaignId, "pause"))).result).toEqual({ mirrored: true, status: "paused" });
    const activations = posts(`/campaigns/${instantlyCampaign.id}/activate`).length;
    expect((await runMirror(resume)).result).toEqual({ mirrored: true, status: "paused" });
    expect(instantlyCampaign.status).toBe(2);
    expect(posts(`/campaigns/${instantlyCampaign.id}/activate`)).toHaveLength(activations);
    expect(await push(campaignId)).toMatchObject({ status: "paused" });

    await asUser(admin(), (tx) => stopCampaign(tx, actor(), { campaignId }));
    const stop = await mirrorEvent(campaignId, "stop");
    expect(await mirrorEvents(campaignId)).toHaveLength(4);
    expect((await runMirror(stop)).result).toEqual({ mirrored: true, status: "stopped" });
    expect(instantlyCampaign.status).toBe(2);
    expect(await push(campaignId)).toMatchObject({ status: "stopped" });
  });

  it("removes from Instantly a lead who unsubscribed by our link, so Instantly sends it no more of the sequence", async () => {
    await insertAudience(2, "AT");
    const campaignId = await approvedCampaign("AT");
    await launchThroughInstantly(campaignId);
    expect((await runPush(campaignId)).result).toMatchObject({ leads: 2, status: "active" });
    const [first] = await db().execute<{ id: string; lead_id: string; instantly_lead_id: string }>(sql`
      select e.id, e.lead_id, e.instantly_lead_id from public.campaign_enrollments e join public.leads l on l.id = e.lead_id
      where e.campaign_id = ${campaignId} order by l.email limit 1`);
    expect(fake.data.leads.map((l) => l.id)).toContain(first!.instantly_lead_id);

    await unsubscribeLead(db(), { workspaceId: fx.a.id, leadId: first!.lead_id, campaignId }, "link");
    const removals = await db()
      .select({ data: jobEvents.data })
      .from(jobEvents)
      .where(eq(jobEvents.name, "integrations/instantly-lead-removal.requested"));
    const removal = removals.map((r) => r.data as Record<string, unknown>).filter((d) => d.enrollmentId === first!.id);
    expect(removal).toEqual([{ workspaceId: fx.a.id, enrollmentId: first!.id }]);

    const run = () =>
      new InngestTestEngine({
        function: removeLeadFromInstantlyFunction,
        events: [{ name: "integrations/instantly-lead-removal.requested", data: removal[0] } as EventPayload],
      }).execute() as Promise<{ result?: Record<string, unknown>; error?: Error }>;
    expect((await run()).result).toEqual({ removed: first!.instantly_lead_id, outcome: "deleted" });
    expect(fake.data.leads.map((l) => l.id)).not.toContain(first!.instantly_lead_id);
    expect(fake.data.leads).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([`/leads/${first!.instantly_lead_id}`]);
    // A replay finds it gone, and says so.
    expect((await run()).result).toEqual({ removed: first!.instantly_lead_id, outcome: "already_gone" });
  });

  it("keeps a deleted lead's place in its Instantly campaign when the delete is undone within the undo window", async () => {
    await insertAudience(3, "UN");
    const campaignId = await approvedCampaign("UN");
    await launchThroughInstantly(campaignId);
    const data = (await pushEvent(campaignId))!;
    expect((await runPush(campaignId)).result).toMatchObject({ leads: 3, status: "active" });
    const [lead] = await db().execute<{ id: string }>(
      sql`select id from public.leads where workspace_id = ${fx.a.id} and email = 'lead1-UN@example.test'`,
    );
    const deleted = await asUser(admin(), (tx) =>
      startBulkOperation(tx, actor(), { selection: { ids: [lead!.id] }, change: { action: "delete" } }),
    );
    // An hourly sync that falls inside the undo window leaves the deleted lead to its delete's own job.
    expect((await runSync(String(data.accountId))).error).toBeUndefined();
    expect((await enrollmentsOf(campaignId)).find((e) => e.email === "lead1-UN@example.test")?.status).toBe("active");
    await asUser(admin(), (tx) => undoBulkDelete(tx, actor(), { operationId: deleted.operationId }));
    expect(await runDeletedLeadsExit()).toMatchObject({ result: { deleted: 0 } });
    expect((await enrollmentsOf(campaignId)).map((e) => [e.email, e.status])).toEqual([
      ["lead1-UN@example.test", "active"],
      ["lead2-UN@example.test", "active"],
      ["lead3-UN@example.test", "active"],
    ]);
  });

  it("waits while a delete runs, then until its undo is no longer taken, then looks again", async () => {
    const [op] = await db().execute<{ id: string }>(sql`
      insert into public.lead_bulk_operations (workspace_id, requested_by, action, selection, total, status)
      values (${fx.a.id}, ${fx.a.members.admin.id}, 'delete', '{"kind":"ids","ids":[]}'::jsonb, 1, 'running') returning id`);
    const until = new Date(Date.now() + 60_000).toISOString();
    const outcome = await new InngestTestEngine({
      function: takeDeletedLeadsOutOfInstantlyFunction,
      events: [{ name: "leads/instantly-exit.requested", data: { workspaceId: fx.a.id, operationId: op!.id } } as EventPayload],
      steps: [
        // Running at the first look; ended at the second, its undo taken for a minute more; over at the third.
        { id: "while-busy-0", handler: () => undefined },
        { id: "look-1", handler: () => ({ busy: false, undoableUntil: until }) },
        { id: "undo-window-1", handler: () => undefined },
        { id: "look-2", handler: () => UNDO_PASSED },
      ],
    }).execute();
    expect(outcome.error).toBeUndefined();
    const calls = (name: "sleep" | "sleepUntil") =>
      (outcome.ctx.step[name] as unknown as { mock: { calls: unknown[][] } }).mock.calls.map((c) => c.slice(0, 2));
    expect(calls("sleep")).toEqual([["while-busy-0", "15s"]]);
    expect(calls("sleepUntil")).toEqual([["undo-window-1", until]]);
    expect(outcome.result).toEqual({ deleted: 0, suppressed: 0 });
  });

  it("ends and removes from Instantly the sequences of leads suppressed by hand or by a file at once, of deleted leads once the undo has passed, and, if that was lost, at the next sync", async () => {
    await insertAudience(6, "DK");
    // Lead 4 at a domain of its own, suppressed whole; lead 6's suppression is written past the services (a lost after-commit).
    await db().execute(
      sql`update public.leads set email = 'lead4@vier-dk.test' where workspace_id = ${fx.a.id} and email = 'lead4-DK@example.test'`,
    );
    const campaignId = await approvedCampaign("DK");
    await launchThroughInstantly(campaignId);
    const data = (await pushEvent(campaignId))!;
    expect((await runPush(campaignId)).result).toMatchObject({ leads: 6, status: "active" });
    const leadId = async (email: string) =>
      (await db().execute<{ id: string }>(sql`select id from public.leads where workspace_id = ${fx.a.id} and email = ${email}`))[0]!.id;
    const manager = fx.a.members.manager;
    const managerActor = { userId: manager.id, workspaceId: fx.a.id, role: "manager" as const };

    await asUser(manager, (tx) => addSuppressionByHand(tx, managerActor, { value: "LEAD1-dk@example.test" }));
    await asUser(admin(), (tx) => importSuppressions(tx, actor(), { fileName: "list.csv", text: "email\nlead2-dk@example.test\n" }));
    await asUser(manager, (tx) => addSuppressionByHand(tx, managerActor, { value: "vier-dk.test" }));
    const deleted = await leadId("lead3-DK@example.test");
    await asUser(admin(), (tx) => startBulkOperation(tx, actor(), { selection: { ids: [deleted] }, change: { action: "delete" } }));
    // While the delete can be undone, lead 3 keeps its place; the job that waits out the undo takes it out.
    expect((await enrollmentsOf(campaignId)).find((e) => e.email === "lead3-DK@example.test")?.status).toBe("active");
    expect(await runDeletedLeadsExit()).toMatchObject({ result: { deleted: 1 } });
    expect((await enrollmentsOf(campaignId)).map((e) => [e.email, e.status, e.end_cause])).toEqual([
      ["lead1-DK@example.test", "stopped", "suppressed"],
      ["lead2-DK@example.test", "stopped", "suppressed"],
      ["lead3-DK@example.test", "stopped", "lead_deleted"],
      ["lead4@vier-dk.test", "stopped", "suppressed"],
      ["lead5-DK@example.test", "active", null],
      ["lead6-DK@example.test", "active", null],
    ]);
    const removals = async () => {
      const rows = await db()
        .select({ data: jobEvents.data })
        .from(jobEvents)
        .where(
          and(eq(jobEvents.name, "integrations/instantly-lead-removal.requested"), sql`${jobEvents.data}->>'workspaceId' = ${fx.a.id}`),
        );
      const ended = await db().execute<{ id: string; email: string }>(sql`
        select e.id, l.email from public.campaign_enrollments e join public.leads l on l.id = e.lead_id
        where e.campaign_id = ${campaignId} and e.status <> 'active'`);
      return ended
        .filter((e) => rows.some((r) => (r.data as Record<string, unknown>).enrollmentId === e.id))
        .map((e) => e.email)
        .sort();
    };
    expect(await removals()).toEqual(["lead1-DK@example.test", "lead2-DK@example.test", "lead3-DK@example.test", "lead4@vier-dk.test"]);

    // The after-commit work of lead 6's suppression was lost: the sync ends it and asks for its removal.
    await db().execute(
      sql`insert into public.suppressions (workspace_id, kind, value, reason) values (${fx.a.id}, 'email', 'lead6-dk@example.test', 'manual')`,
    );
    const sync = await runSync(String(data.accountId));
    expect(sync.error).toBeUndefined();
    expect(sync.result!.pushed_campaigns).toMatchObject({ enrollments: { ended: 1 } });
    expect((await enrollmentsOf(campaignId)).filter((e) => e.status === "active").map((e) => e.email)).toEqual(["lead5-DK@example.test"]);
    expect(await removals()).toContain("lead6-DK@example.test");
  });

  it("a pause Instantly refuses is shown on the push, and a later one that succeeds clears it", async () => {
    await insertAudience(2, "IT");
    const campaignId = await approvedCampaign("IT");
    await launchThroughInstantly(campaignId);
    expect((await runPush(campaignId)).result).toMatchObject({ leads: 2, status: "active" });
    const instantlyCampaign = fake.data.campaigns[0]!;
    fake.fail({
      path: `/campaigns/${instantlyCampaign.id}/pause`,
      status: 404,
      body: JSON.stringify({ statusCode: 404, error: "Not Found", message: "Campaign not found" }),
    });
    await asUser(admin(), (tx) => pauseCampaign(tx, actor(), { campaignId, reason: "Holiday" }));
    const pause = await mirrorEvent(campaignId, "pause");
    const refused = await runMirror(pause);
    expect(refused.error?.message).toMatch(/Instantly refused the campaign pause request \(HTTP 404\)/);
    expect(await push(campaignId)).toMatchObject({ status: "active", lastError: expect.stringMatching(/HTTP 404/) });
    expect(instantlyCampaign.status).toBe(1);
    // Its retries spent, the admins are told that Instantly may still be sending (not only the panel).
    expect(await notifyFailedMirrorRun({ event: { data: { event: { data: pause } } }, error: refused.error! })).toEqual({ notified: 1 });
    const told = await db().execute<{ user_id: string; title: string; body: string; link: string }>(sql`
      select user_id, title, body, link from public.notifications
      where workspace_id = ${fx.a.id} and kind = 'instantly_mirror_failed' and subject_id = ${campaignId}`);
    expect(told).toEqual([
      {
        user_id: admin().id,
        title: expect.stringMatching(/^Instantly did not pause “.+”$/),
        body: expect.stringMatching(
          /^It is paused here, but Instantly may still be sending its emails\. Why: .*HTTP 404.* replay the failed run on the Jobs page/,
        ),
        link: `/campaigns/${campaignId}`,
      },
    ]);

    // Run again (the Jobs page's retry): paused, and the error cleared.
    expect((await runMirror(pause)).result).toEqual({ mirrored: true, status: "paused" });
    expect(await push(campaignId)).toMatchObject({ status: "paused", lastError: null });
    expect(instantlyCampaign.status).toBe(2);
  });

  describe("one of our campaigns per Instantly campaign in the workspace", () => {
    /** Instantly answering a creation with `campaign`, an Instantly campaign it already has (never seen from the real vendor). */
    const answerCreationWith = (campaign: Record<string, unknown>) =>
      fake.fail({
        path: "/campaigns",
        method: "POST",
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(campaign),
      });

    /** `holder` pushed to Instantly, then `other` launched through it: the Instantly campaign of `holder`. */
    async function holderAndOther(country: string, otherCountry: string) {
      await insertAudience(3, country);
      const holder = await approvedCampaign(country, { name: "Printemps à Lyon" });
      await launchThroughInstantly(holder);
      const first = await runPush(holder);
      expect(first.result).toMatchObject({ leads: 3, status: "active" });
      await insertAudience(2, otherCountry);
      const other = await approvedCampaign(otherCountry, { name: "Automne à Lyon" });
      await launchThroughInstantly(other);
      return { holder, other, instantlyCampaign: fake.data.campaigns.find((c) => c.id === first.result!.instantlyCampaignId)! };
    }

    it("refuses a push Instantly answers with another campaign's Instantly campaign, sending nothing to it; its figures are counted once", async () => {
      const { holder, other, instantlyCampaign } = await holderAndOther("SE", "FI");
      const taken = instantlyCampaignTaken(instantlyCampaign.id, "Printemps à Lyon");
      answerCreationWith(instantlyCampaign);
      const { error } = await runPush(other);
      expect(error?.message).toBe(taken);
      expect(taken).toMatch(
        /^Instantly answered with its campaign .+, which is already the Instantly campaign of “Printemps à Lyon” in this workspace, so nothing was sent to it/,
      );
      // Nothing of the other campaign reached the holder's Instantly campaign: no lead, no second activation.
      expect(posts("/leads/add")).toHaveLength(1);
      expect(fake.data.leads.filter((l) => l.campaign === instantlyCampaign.id)).toHaveLength(3);
      expect(posts(`/campaigns/${instantlyCampaign.id}/activate`)).toHaveLength(1);
      expect(await push(other)).toMatchObject({ status: "failed", instantlyCampaignId: null, lastError: taken });
      expect(await push(holder)).toMatchObject({ status: "active", instantlyCampaignId: instantlyCampaign.id, lastError: null });
      expect(await enrollmentsOf(other)).toEqual([]);
      // Its retries not spent (a refusal is not retried): the campaign pauses itself, the reason on its page.
      await holdFailedPush({ event: { data: { event: { data: await pushEvent(other) } } }, error: error! });
      expect(await campaignRow(other)).toMatchObject({ status: "paused" });

      // Instantly's days of that campaign, as the sync stores them: once in the report, as the holder's.
      await db().execute(sql`insert into public.instantly_campaign_daily_analytics (workspace_id, campaign_id, day, raw)
        values (${fx.a.id}, ${instantlyCampaign.id}, '2026-06-01', ${JSON.stringify({ date: "2026-06-01", sent: 12, unique_opened: 5 })}::jsonb)`);
      const analyst = fx.a.members.analyst;
      const report = (campaign?: string) =>
        getAnalytics(
          { claims: claimsFor(analyst.id, analyst.email), workspaceId: fx.a.id, role: analyst.role },
          { from: "2026-06-01", to: "2026-06-01", tz: "UTC", ...(campaign ? { campaign } : {}) },
        ).then((r) => r.instantly.filter((d) => d.instantlyCampaignId === instantlyCampaign.id));
      const once = [{ day: "2026-06-01", campaignId: holder, campaignName: "Printemps à Lyon", sent: 12, opened: 5 }];
      expect(await report()).toMatchObject(once);
      expect(await report(holder)).toMatchObject(once);
      expect(await report(other)).toEqual([]);
    });

    it("a replayed push run of the campaign holding it succeeds again with nothing sent twice; the refused one stays refused", async () => {
      const { holder, other, instantlyCampaign } = await holderAndOther("LV", "LT");
      answerCreationWith(instantlyCampaign);
      expect((await runPush(other)).error).toBeDefined();

      // The holder's run replayed (the Jobs page's replay, or Inngest running it again): its own
      // link found on its push, no request to create anything, no lead added again.
      const requestsBefore = fake.requests.length;
      const replay = await runPush(holder);
      expect(replay.error).toBeUndefined();
      expect(replay.result).toEqual({ instantlyCampaignId: instantlyCampaign.id, leads: 0, status: "active" });
      expect(posts("/campaigns")).toHaveLength(2);
      expect(fake.requests.slice(requestsBefore).filter((r) => r.path === "/campaigns" || r.path === "/leads/add")).toEqual([]);
      expect(fake.data.leads.filter((l) => l.campaign === instantlyCampaign.id)).toHaveLength(3);
      expect(await push(holder)).toMatchObject({
        status: "active",
        instantlyCampaignId: instantlyCampaign.id,
        batchesDone: 1,
        leadsUploaded: 3,
      });
      expect((await enrollmentsOf(holder)).map((e) => e.status)).toEqual(["active", "active", "active"]);

      // The refused one replayed, Instantly answering the same: refused again, the same way.
      answerCreationWith(instantlyCampaign);
      const again = await runPush(other);
      expect(again.error?.message).toBe(instantlyCampaignTaken(instantlyCampaign.id, "Printemps à Lyon"));
      expect(await push(other)).toMatchObject({ status: "failed", instantlyCampaignId: null });
      const [holders] = await db().execute<{ n: number }>(sql`select count(*)::int as n from public.instantly_campaign_pushes
        where workspace_id = ${fx.a.id} and instantly_campaign_id = ${instantlyCampaign.id}`);
      expect(holders!.n).toBe(1);
    });
  });
});
