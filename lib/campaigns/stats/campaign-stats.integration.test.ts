import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import { pauseCampaign } from "@/lib/campaigns/lifecycle/pause-campaign";
import { addTestMember, insertTestLead } from "@/tests/fixtures/leads";
import { createRunningCampaign, enrollLeads, insertMessage, type RunningCampaign } from "@/tests/fixtures/running-campaign";
import { asUser, claimsFor, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { getCampaignFunnel } from "./campaign-funnel";
import { getCampaignProgress } from "./campaign-progress";
import { getEnrollmentHistory } from "./get-enrollment-history";
import { listCampaignEnrollments } from "./list-campaign-enrollments";
import { listCampaignRuns } from "./list-campaign-runs";

let fx: TenancyFixture;
let campaign: RunningCampaign;
let leadIds: string[];
let enrollmentIds: string[];
const db = () => serviceDb();
const hour = 3_600_000;

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  campaign = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin);
  leadIds = [];
  for (let i = 0; i < 7; i++)
    leadIds.push(await insertTestLead(fx.a, { firstName: `Lead${i}`, lastName: "Durand", email: `lead${i}@example.test` }));
  enrollmentIds = await enrollLeads(fx.a.id, campaign, leadIds, new Date(Date.now() + hour));
  const [e0, e1, e2, e3, e4] = enrollmentIds as [string, string, string, string, string];
  const [l0, l1, l2, l3, l4] = leadIds as [string, string, string, string, string];
  const now = new Date();
  // Lead 0: step 1 (A) delivered, opened, clicked, replied; ended by the reply.
  const m0 = await insertMessage(fx.a.id, campaign, {
    enrollmentId: e0,
    leadId: l0,
    position: 1,
    variant: "A",
    funnel: { delivered_at: now, opened_at: now, clicked_at: now, replied_at: now },
  });
  // Lead 1: step 1 (B) hard bounce; lead 2: step 1 (B) soft bounce only, then step 2 unsubscribed.
  await insertMessage(fx.a.id, campaign, {
    enrollmentId: e1,
    leadId: l1,
    position: 1,
    variant: "B",
    funnel: { bounced_at: now },
    bounceType: "hard",
  });
  await insertMessage(fx.a.id, campaign, {
    enrollmentId: e2,
    leadId: l2,
    position: 1,
    variant: "B",
    funnel: { delivered_at: now, bounced_at: now },
    bounceType: "soft",
  });
  await insertMessage(fx.a.id, campaign, {
    enrollmentId: e2,
    leadId: l2,
    position: 2,
    funnel: { delivered_at: now, unsubscribed_at: now },
  });
  // Lead 3: skipped at send time, not counted as sent; lead 4 failed.
  await insertMessage(fx.a.id, campaign, {
    enrollmentId: e3,
    leadId: l3,
    position: 1,
    status: "skipped",
    reason: "{{ first_name }} is empty",
  });
  await insertMessage(fx.a.id, campaign, { enrollmentId: e4, leadId: l4, position: 1, status: "failed", reason: "Invalid `to` field" });
  await db().execute(sql`
    update public.campaign_enrollments set status = 'stopped', end_cause = 'replied', stop_reason = 'Replied on step 1',
      next_send_at = null, finished_at = now() where id = ${e0}`);
  await db().execute(sql`
    update public.campaign_enrollments set status = 'skipped', end_cause = 'render_failed', stop_reason = '{{ first_name }} is empty',
      next_send_at = null, finished_at = now() where id = ${e3}`);
  await db().execute(sql`update public.campaign_enrollments set status = 'completed', next_step = 3, next_send_at = null where id = ${e2}`);
  await db().execute(sql`
    insert into public.email_events (workspace_id, message_id, type, occurred_at, provider_event_id, payload) values
      (${fx.a.id}, ${m0}, 'sent', now() - interval '3 minutes', ${`msg_${crypto.randomUUID()}`}, '{}'),
      (${fx.a.id}, ${m0}, 'delivered', now() - interval '2 minutes', ${`msg_${crypto.randomUUID()}`}, '{}'),
      (${fx.a.id}, ${m0}, 'clicked', now() - interval '1 minute', ${`msg_${crypto.randomUUID()}`},
        '{"click": {"link": "https://acme.example/pricing", "ipAddress": "203.0.113.9"}}')`);
  await db().execute(sql`
    insert into public.email_replies (workspace_id, message_id, campaign_id, enrollment_id, lead_id, provider_email_id, from_address,
      subject, text_body, html_body, received_at)
    values (${fx.a.id}, ${m0}, ${campaign.campaignId}, ${e0}, ${l0}, ${`inbound_${crypto.randomUUID()}`}, 'lead0@example.test',
      'Re: Bonjour', 'Yes please, <b>Tuesday</b> works.', '<p>Yes please, <b>Tuesday</b> works.</p>', now())`);
  // The sequence runs of lead 0 (generation 1) and the campaign's launch run.
  const [seqEvent] = await db().execute<{ id: string }>(sql`
    insert into public.job_events (workspace_id, name, data, idempotency_key, ts)
    values (${fx.a.id}, 'campaigns/enrollment.started', ${JSON.stringify({ workspaceId: fx.a.id, campaignId: campaign.campaignId, enrollmentId: e0 })}::jsonb,
      ${`enrollment-${e0}-1`}, now()) returning id`);
  const [launchEvent] = await db().execute<{ id: string }>(sql`
    insert into public.job_events (workspace_id, name, data, ts)
    values (${fx.a.id}, 'campaigns/launch.requested', ${JSON.stringify({ workspaceId: fx.a.id, campaignId: campaign.campaignId })}::jsonb, now())
    returning id`);
  await db().execute(sql`
    insert into public.job_runs (workspace_id, function_id, event_id, status, ended_at) values
      (${fx.a.id}, 'run-enrollment-sequence', ${seqEvent!.id}, 'completed', now()),
      (${fx.a.id}, 'launch-campaign', ${launchEvent!.id}, 'completed', now())`);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

const scope = () => ({ workspaceId: fx.a.id, campaignId: campaign.campaignId });

describe("a running campaign's progress", () => {
  it("counts its enrollments by state and its emails by outcome, for any member", async () => {
    const progress = await asUser(fx.a.members.viewer, (tx) => getCampaignProgress(tx, scope()));
    expect(progress.enrollments).toEqual({ total: 7, active: 4, completed: 1, stopped: 1, skipped: 1 });
    expect(progress.messages).toEqual({ sent: 4, failed: 1, skipped: 1, queued: 0 });
    expect(new Date(progress.nextSendAt!).getTime()).toBeGreaterThan(Date.now());
    expect(progress.lastSentAt).not.toBeNull();
  });

  it("lists its mailboxes with what each sent today, the day of the mailbox's own zone, across campaigns", async () => {
    const [identity] = await db().execute<{ time_zone: string; daily_cap: number; today: string }>(sql`
      select time_zone, daily_cap, (now() at time zone time_zone)::date::text as today from public.sending_identities where id = ${campaign.identityId}`);
    await db().execute(sql`insert into public.sending_identity_usage (workspace_id, identity_id, day, sent) values
      (${fx.a.id}, ${campaign.identityId}, ${identity!.today}::date, 12), (${fx.a.id}, ${campaign.identityId}, ${identity!.today}::date - 1, 40)`);
    const progress = await asUser(fx.a.members.viewer, (tx) => getCampaignProgress(tx, scope()));
    expect(progress.mailboxes).toEqual([
      { fromEmail: expect.any(String), timeZone: identity!.time_zone, dailyCap: identity!.daily_cap, sentToday: 12 },
    ]);
    await db().execute(sql`delete from public.sending_identity_usage where identity_id = ${campaign.identityId}`);
    expect((await asUser(fx.a.members.viewer, (tx) => getCampaignProgress(tx, scope()))).mailboxes[0]?.sentToday).toBe(0);
  });

  it("says why it is paused, and whether the bounce breaker did it", async () => {
    const paused = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Paused" });
    await db().execute(sql`update public.campaigns set status = 'paused', paused_at = now(), paused_by = null,
      pause_reason = 'Hard bounces reached 3.1% of the last 100 sends (limit 2%)' where id = ${paused.campaignId}`);
    const progress = await asUser(fx.a.members.viewer, (tx) =>
      getCampaignProgress(tx, { workspaceId: fx.a.id, campaignId: paused.campaignId }),
    );
    expect(progress.pause).toMatchObject({ bySystem: true, reason: "Hard bounces reached 3.1% of the last 100 sends (limit 2%)" });
    expect((await asUser(fx.a.members.viewer, (tx) => getCampaignProgress(tx, scope()))).pause).toBeNull();
  });

  it("keeps an admin's pause the admin's after their account is deleted (its paused_by goes to null)", async () => {
    const byHand = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Paused by hand" });
    const formerAdmin = await addTestMember(fx.a, "admin", "Former Admin");
    await withUserTx(claimsFor(formerAdmin.id, formerAdmin.email), (tx) =>
      pauseCampaign(
        tx,
        { userId: formerAdmin.id, workspaceId: fx.a.id, role: "admin" },
        { campaignId: byHand.campaignId, reason: "New list" },
      ),
    );
    const progressOf = () =>
      asUser(fx.a.members.viewer, (tx) => getCampaignProgress(tx, { workspaceId: fx.a.id, campaignId: byHand.campaignId }));
    expect((await progressOf()).pause).toMatchObject({ bySystem: false, reason: "New list" });
    await db().execute(sql`delete from auth.users where id = ${formerAdmin.id}`);
    expect((await progressOf()).pause).toMatchObject({ bySystem: false, reason: "New list" });
  });

  it("is nothing to another workspace's member (RLS)", async () => {
    const progress = await asUser(fx.b.members.admin, (tx) => getCampaignProgress(tx, scope()));
    expect(progress.enrollments.total).toBe(0);
    expect(progress.messages.sent).toBe(0);
  });
});

describe("the funnel", () => {
  it("counts, per step and variant, the sent emails that reached each stage; a soft bounce is not a bounce", async () => {
    const funnel = await asUser(fx.a.members.analyst, (tx) => getCampaignFunnel(tx, scope()));
    expect(funnel).toEqual([
      { stepPosition: 1, variantLabel: "A", sent: 1, delivered: 1, opened: 1, clicked: 1, replied: 1, bounced: 0, unsubscribed: 0 },
      { stepPosition: 1, variantLabel: "B", sent: 2, delivered: 1, opened: 0, clicked: 0, replied: 0, bounced: 1, unsubscribed: 0 },
      { stepPosition: 2, variantLabel: "A", sent: 1, delivered: 1, opened: 0, clicked: 0, replied: 0, bounced: 0, unsubscribed: 1 },
    ]);
  });

  it("shows every variant with zeros before its first email, and nothing across workspaces", async () => {
    const fresh = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Not sent yet" });
    const funnel = await asUser(fx.a.members.viewer, (tx) => getCampaignFunnel(tx, { workspaceId: fx.a.id, campaignId: fresh.campaignId }));
    expect(funnel.map((r) => [r.stepPosition, r.variantLabel, r.sent])).toEqual([
      [1, "A", 0],
      [1, "B", 0],
      [2, "A", 0],
    ]);
    expect(await asUser(fx.b.members.admin, (tx) => getCampaignFunnel(tx, scope()))).toEqual([]);
  });
});

describe("the enrollments table", () => {
  it("pages through every enrollment once, in enrollment order, with the lead, state, step, next send and end reason", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await asUser(fx.a.members.viewer, (tx) => listCampaignEnrollments(tx, { ...scope(), cursor, limit: 3 }));
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(enrollmentIds);
    const first = await asUser(fx.a.members.viewer, (tx) => listCampaignEnrollments(tx, { ...scope(), limit: 1 }));
    expect(first.rows[0]).toMatchObject({
      leadId: leadIds[0],
      leadName: "Lead0 Durand",
      leadEmail: "lead0@example.test",
      status: "stopped",
      endCause: "replied",
      stopReason: "Replied on step 1",
      nextSendAt: null,
    });
  });

  it("filters by state", async () => {
    const page = await asUser(fx.a.members.viewer, (tx) => listCampaignEnrollments(tx, { ...scope(), status: "active" }));
    expect(page.rows.map((r) => r.id)).toEqual([enrollmentIds[1], enrollmentIds[4], enrollmentIds[5], enrollmentIds[6]]);
    expect(page.rows[0]!.nextSendAt).not.toBeNull();
    expect(page.nextCursor).toBeNull();
  });

  it("refuses a cursor it did not write, and shows another workspace nothing", async () => {
    await expect(asUser(fx.a.members.viewer, (tx) => listCampaignEnrollments(tx, { ...scope(), cursor: "bm9wZQ" }))).rejects.toThrow(
      "That page link is not valid any more.",
    );
    const page = await asUser(fx.b.members.admin, (tx) => listCampaignEnrollments(tx, scope()));
    expect(page.rows).toEqual([]);
  });
});

describe("an enrollment's history", () => {
  it("lists each email with its events in order, and the reply's text (not its HTML)", async () => {
    const history = await asUser(fx.a.members.viewer, (tx) => getEnrollmentHistory(tx, { ...scope(), enrollmentId: enrollmentIds[0]! }));
    expect(history.enrollment).toMatchObject({ leadName: "Lead0 Durand", status: "stopped", endCause: "replied", generation: 1 });
    expect(history.messages).toHaveLength(1);
    const [message] = history.messages;
    expect(message).toMatchObject({ stepPosition: 1, variantLabel: "A", status: "sent", subject: "Bonjour" });
    expect(message!.events.map((e) => [e.type, e.detail])).toEqual([
      ["sent", null],
      ["delivered", null],
      ["clicked", "https://acme.example/pricing"],
    ]);
    expect(message!.replies).toEqual([
      expect.objectContaining({ fromAddress: "lead0@example.test", text: "Yes please, <b>Tuesday</b> works." }),
    ]);
    expect(JSON.stringify(message!.replies)).not.toContain("<p>");
  });

  it("links its sequence runs for admins only (job runs are theirs)", async () => {
    const asAdmin = await asUser(fx.a.members.admin, (tx) => getEnrollmentHistory(tx, { ...scope(), enrollmentId: enrollmentIds[0]! }));
    expect(asAdmin.runs).toEqual([expect.objectContaining({ generation: 1, status: "completed" })]);
    const asRep = await asUser(fx.a.members.sales_rep, (tx) => getEnrollmentHistory(tx, { ...scope(), enrollmentId: enrollmentIds[0]! }));
    expect(asRep.runs).toEqual([]);
  });

  it("shows a skipped send's reason", async () => {
    const history = await asUser(fx.a.members.viewer, (tx) => getEnrollmentHistory(tx, { ...scope(), enrollmentId: enrollmentIds[3]! }));
    expect(history.messages[0]).toMatchObject({ status: "skipped", reason: "{{ first_name }} is empty" });
    expect(history.enrollment).toMatchObject({ status: "skipped", endCause: "render_failed" });
  });

  it("is not found through another campaign or workspace", async () => {
    const other = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Other" });
    await expect(
      asUser(fx.a.members.admin, (tx) =>
        getEnrollmentHistory(tx, { workspaceId: fx.a.id, campaignId: other.campaignId, enrollmentId: enrollmentIds[0]! }),
      ),
    ).rejects.toThrow("That enrollment was not found.");
    await expect(
      asUser(fx.b.members.admin, (tx) => getEnrollmentHistory(tx, { ...scope(), enrollmentId: enrollmentIds[0]! })),
    ).rejects.toThrow("That enrollment was not found.");
    await expect(
      asUser(fx.b.members.admin, (tx) =>
        getEnrollmentHistory(tx, { workspaceId: fx.b.id, campaignId: campaign.campaignId, enrollmentId: enrollmentIds[0]! }),
      ),
    ).rejects.toThrow("That enrollment was not found.");
  });
});

describe("the campaign's job runs", () => {
  it("lists the launch run to admins, not the sequence runs, and nothing to other roles", async () => {
    const runs = await asUser(fx.a.members.admin, (tx) => listCampaignRuns(tx, scope()));
    expect(runs).toEqual([
      expect.objectContaining({ functionId: "launch-campaign", eventName: "campaigns/launch.requested", status: "completed" }),
    ]);
    expect(await asUser(fx.a.members.manager, (tx) => listCampaignRuns(tx, scope()))).toEqual([]);
  });
});
