import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx, withUserTx } from "@/db";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { holdLaunch } from "@/lib/campaigns/lifecycle/launch-progress";
import { pauseCampaign } from "@/lib/campaigns/lifecycle/pause-campaign";
import { checkBounceBreaker } from "@/lib/sending/breaker/check-bounce-breaker";
import { markFirstTime } from "@/lib/sending/events/funnel";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { addTestMember, insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import { claimsFor, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { getDashboard } from "./get-dashboard";

let fx: TenancyFixture;
let pendingId: string;
let pausedId: string;
let manuallyPausedId: string;
let launchHeldId: string;
let repLead: string;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);

async function reply(leadId: string, subject: string, daysAgo = 0) {
  await serviceDb().execute(sql`
    insert into public.email_replies (workspace_id, lead_id, provider_email_id, from_address, subject, text_body, received_at)
    values (${fx.a.id}, ${leadId}, ${`in-${randomSuffix()}`}, 'zoe@client.example', ${subject}, 'Oui', now() - make_interval(days => ${daysAgo}))`);
}
async function importRow(createdBy: string, status: string, fileName: string) {
  await serviceDb().execute(sql`
    insert into public.lead_imports (workspace_id, created_by, file_name, file_size, encoding, delimiter, headers, total_rows, status,
      mapping, rules, finished_at)
    values (${fx.a.id}, ${createdBy}, ${fileName}, 120, 'utf-8', ',', '{Email}', 0, ${status}::public.lead_import_status, '{}', '{}',
      ${status === "completed" ? sql`now()` : null})`);
}

/** An email of `campaign` to `leadId`, sent `sentAgo` before now, as the send step leaves it. */
async function sentTo(campaign: { campaignId: string; identityId: string; stepId: string }, leadId: string, sentAgo: number) {
  const [lead] = await serviceDb().execute<{ email: string }>(sql`select email from public.leads where id = ${leadId}`);
  const [enrollment] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
    values (${fx.a.id}, ${campaign.campaignId}, ${leadId}, ${campaign.identityId}, now()) returning id`);
  return insertSentTestMessage({
    workspaceId: fx.a.id,
    campaignId: campaign.campaignId,
    enrollmentId: enrollment!.id,
    leadId,
    stepId: campaign.stepId,
    identityId: campaign.identityId,
    toEmail: lead!.email,
    sentAt: ago(sentAgo),
  });
}
const replied = (m: { id: string }, repliedAgo: number) =>
  withServiceTx((tx) => markFirstTime(tx, { id: m.id, workspaceId: fx.a.id }, "repliedAt", ago(repliedAgo)));

/**
 * A campaign the bounce breaker paused, as it does: the workspace's breaker counts from 20 sends
 * (Settings → Sending), and one of the campaign's 20 emails, sent ten days ago, hard-bounced.
 */
async function pausedByTheBreaker() {
  await serviceDb().execute(sql`update public.workspaces set breaker_min_sends = 20 where id = ${fx.a.id}`);
  const c = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
  const leads = await serviceDb().execute<{ id: string }>(sql`
    insert into public.leads (workspace_id, first_name, email, status)
    select ${fx.a.id}, 'Bounce', 'b-' || g || '-' || ${randomSuffix()} || '@client.example', 'contacted' from generate_series(1, 20) g
    returning id`);
  const messages: { id: string }[] = [];
  for (const l of leads) messages.push(await sentTo(c, l.id, 10 * DAY));
  await withServiceTx((tx) =>
    markFirstTime(tx, { id: messages[0]!.id, workspaceId: fx.a.id }, "bouncedAt", ago(9 * DAY), { bounceType: "hard" }),
  );
  expect(await checkBounceBreaker({ workspaceId: fx.a.id, campaignId: c.campaignId })).toMatchObject({ paused: true });
  return c.campaignId;
}

/**
 * A campaign an admin paused by hand, whose account was deleted since: its paused_by went to
 * null with the account (on delete set null), and it is no bounce-breaker pause for that.
 */
async function pausedByAFormerAdmin() {
  const formerAdmin = await addTestMember(fx.a, "admin", "Former Admin");
  const c = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
  await withUserTx(claimsFor(formerAdmin.id, formerAdmin.email), (tx) =>
    pauseCampaign(
      tx,
      { userId: formerAdmin.id, workspaceId: fx.a.id, role: "admin" },
      { campaignId: c.campaignId, reason: "Rewording step 1" },
    ),
  );
  await serviceDb().execute(sql`delete from auth.users where id = ${formerAdmin.id}`);
  const [row] = await serviceDb().execute<{ paused_by: string | null; status: string }>(
    sql`select paused_by, status from public.campaigns where id = ${c.campaignId}`,
  );
  expect(row).toEqual({ paused_by: null, status: "paused" });
  return c.campaignId;
}

beforeAll(async () => {
  fx = await createTenancyFixture();
  pendingId = (await createTestCampaign(fx.a.id, fx.a.members.sales_rep, { name: "Waiting for a yes" })).campaignId;
  pausedId = await pausedByTheBreaker();
  manuallyPausedId = await pausedByAFormerAdmin();
  // A launch that failed for good pauses its campaign too: the admins are told, it is no bounce-breaker pause.
  launchHeldId = (await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, [])).campaignId;
  // Its launch had not finished enrolling when it failed.
  await serviceDb().execute(sql`update public.campaigns set enrolled_at = null where id = ${launchHeldId}`);
  expect(await holdLaunch({ workspaceId: fx.a.id, campaignId: launchHeldId, why: "launch_failed" })).toEqual({ paused: true });
  repLead = await insertTestLead(fx.a, { firstName: "Zoë", lastName: "Ångström", ownerId: fx.a.members.sales_rep.id });
  const managerLead = await insertTestLead(fx.a, { firstName: "Other", ownerId: fx.a.members.manager.id });
  await reply(repLead, "Re: Bonjour");
  await reply(repLead, "Re: an old one", 30);
  await reply(managerLead, "Re: not yours");
  await importRow(fx.a.members.sales_rep.id, "running", "rep-running.csv");
  await importRow(fx.a.members.sales_rep.id, "completed", "rep-done.csv");
  await serviceDb().execute(
    sql`update public.lead_imports set sandbox = true where workspace_id = ${fx.a.id} and file_name = 'rep-done.csv'`,
  );
  await importRow(fx.a.members.manager.id, "running", "manager-running.csv");

  // The headline's week, by hand: the emails sent in the last 7 days (L1, L2), the replies that
  // came in them (L1's, and L3's to an older email), the meetings set in them (L1's, today).
  const sending = await createRunningTestCampaign(fx.a.id, fx.a.members.manager, fx.a.members.admin, []);
  const [l1, l2, l3, l4] = await Promise.all(
    [1, 2, 3, 4].map((i) =>
      insertTestLead(fx.a, { email: `l${i}-${randomSuffix()}@client.example`, status: "contacted", ownerId: fx.a.members.manager.id }),
    ),
  );
  const m1 = await sentTo(sending, l1!, 3 * DAY);
  await sentTo(sending, l2!, HOUR);
  const m3 = await sentTo(sending, l3!, 10 * DAY);
  const m4 = await sentTo(sending, l4!, 10 * DAY);
  await replied(m1, 2 * DAY);
  await replied(m3, DAY);
  await replied(m4, 9 * DAY);
  await serviceDb().execute(sql`update public.leads set status = 'meeting' where id = ${l1}`);
});
afterAll(() => removeTenancyFixture(fx));

const as = (ws: "a" | "b", role: WorkspaceRole) => {
  const m = fx[ws].members[role];
  return getDashboard({ claims: claimsFor(m.id, m.email), workspaceId: fx[ws].id, userId: m.id, role });
};

describe("the home page", () => {
  it("shows a rep the replies to their leads this week, their imports and the breaker's pauses, and no approvals", async () => {
    const d = await as("a", "sales_rep");
    expect(d.awaitingApproval).toBeNull();
    expect(d.newReplies).toEqual([{ leadId: repLead, leadName: "Zoë Ångström", subject: "Re: Bonjour", receivedAt: expect.any(String) }]);
    expect(d.imports!.map((i) => i.fileName)).toEqual(["rep-running.csv", "rep-done.csv"]);
    // The breaker's pause only: not the one an admin made by hand (whose account is gone since).
    expect(d.autoPaused).toEqual([
      {
        id: pausedId,
        name: expect.any(String),
        reason: expect.stringMatching(/1 of its last 20 emails hard-bounced/),
        pausedAt: expect.any(String),
      },
    ]);
    expect(d.autoPaused.map((c) => c.id)).not.toContain(manuallyPausedId);
    expect(d.autoPaused.map((c) => c.id)).not.toContain(launchHeldId);
    expect(d.headline).toMatchObject({ leadsOwned: 1, sent: 2, replied: 2, meetings: 1 });
  });

  it("shows an admin the campaigns awaiting approval and everyone's imports", async () => {
    const d = await as("a", "admin");
    expect(d.awaitingApproval).toEqual([{ id: pendingId, name: "Waiting for a yes", submittedAt: expect.any(String) }]);
    expect(d.imports!.map((i) => i.fileName).sort()).toEqual(["manager-running.csv", "rep-done.csv", "rep-running.csv"]);
    // An import from a vendor's sandbox is marked as sample data on Home.
    expect(d.imports!.filter((i) => i.sandbox).map((i) => i.fileName)).toEqual(["rep-done.csv"]);
    expect(d.newReplies).toEqual([]);
  });

  it("leaves out what a viewer or an analyst cannot have: replies to their leads, their imports, leads they own", async () => {
    // They own no lead and import nothing: a panel there would say "nothing yet" for ever.
    const viewer = await as("a", "viewer");
    expect(viewer).toMatchObject({ newReplies: null, imports: null, headline: null });
    expect(viewer.autoPaused).toHaveLength(1);
    const analyst = await as("a", "analyst");
    expect(analyst).toMatchObject({ newReplies: null, imports: null });
    expect(analyst.headline).toEqual({
      leadsOwned: null,
      sent: 2,
      replied: 2,
      meetings: 1,
      sample: { leadsOwned: 0, sent: 0, replied: 0 },
    });
  });

  it("shows a viewer no numbers, and another workspace nothing of this one", async () => {
    expect((await as("a", "viewer")).headline).toBeNull();
    const b = await as("b", "admin");
    expect(b).toEqual({
      awaitingApproval: [],
      autoPaused: [],
      newReplies: [],
      imports: [],
      headline: { leadsOwned: 0, sent: 0, replied: 0, meetings: 0, sample: { leadsOwned: 0, sent: 0, replied: 0 } },
    });
  });

  it("gives the week's headline numbers as the raw emails and leads have them", async () => {
    const [raw] = await serviceDb().execute<{ sent: number; replied: number; meetings: number }>(sql`
      select count(*) filter (where sent_at > now() - interval '7 days')::int as sent,
             count(*) filter (where replied_at > now() - interval '7 days')::int as replied,
             count(*) filter (where meeting_at > now() - interval '7 days')::int as meetings
        from public.email_messages where workspace_id = ${fx.a.id} and status = 'sent'`);
    expect(raw).toEqual({ sent: 2, replied: 2, meetings: 1 });
    const owned = async (ownerId: string) =>
      (
        await serviceDb().execute<{ n: number }>(
          sql`select count(*)::int as n from public.leads where workspace_id = ${fx.a.id} and owner_id = ${ownerId} and deleted_at is null`,
        )
      )[0]!.n;
    // The manager owns the four leads emailed this week and the one that replied to the rep's colleague.
    expect(await owned(fx.a.members.manager.id)).toBe(5);
    expect((await as("a", "manager")).headline).toMatchObject({ ...raw, leadsOwned: 5 });
    expect((await as("a", "admin")).headline).toMatchObject({ ...raw, leadsOwned: await owned(fx.a.members.admin.id) });
    expect((await as("a", "sales_rep")).headline).toMatchObject({ ...raw, leadsOwned: await owned(fx.a.members.sales_rep.id) });
  });

  it("migration 0089's backfill gives the campaigns paused before it the cause their last pause recorded", async () => {
    const dir = path.join(process.cwd(), "db/migrations");
    const file = readdirSync(dir).find((f) => f.endsWith("_campaign_pause_cause.sql"));
    const backfill = readFileSync(path.join(dir, file!), "utf8")
      .split("--> statement-breakpoint")
      .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
      .filter((statement) => statement.startsWith("UPDATE"));
    expect(backfill).toHaveLength(1);
    const causes = (db: Pick<ReturnType<typeof serviceDb>, "execute">) =>
      db.execute<{ id: string; pause_cause: string | null }>(
        sql`select id, pause_cause from public.campaigns where workspace_id = ${fx.a.id} and status = 'paused' order by id`,
      );
    const live = await causes(serviceDb());
    // By hand: the three pauses of the fixture, each with its own cause.
    expect(Object.fromEntries(live.map((c) => [c.id, c.pause_cause]))).toEqual({
      [pausedId]: "bounce_breaker",
      [manuallyPausedId]: "manual",
      [launchHeldId]: "launch_held",
    });
    const rebuilt = await serviceDb()
      .transaction(async (tx) => {
        await tx.execute(sql`update public.campaigns set pause_cause = null where workspace_id = ${fx.a.id}`);
        for (const statement of backfill) await tx.execute(sql.raw(statement));
        throw Object.assign(new Error("rollback"), { rows: await causes(tx) });
      })
      .catch((e: { rows?: unknown }) => e.rows);
    expect(rebuilt).toEqual(live);
  });

  it("says how much of the headline a vendor's sandbox made: the sample leads the user owns, this week's emails to them and their replies", async () => {
    expect((await as("a", "sales_rep")).headline!.sample).toEqual({ leadsOwned: 0, sent: 0, replied: 0 });
    const { campaignId, identityId, stepId } = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
    const email = `sample-${randomSuffix()}@sandbox.example`;
    const sampleLead = await insertTestLead(fx.a, { email, ownerId: fx.a.members.sales_rep.id, source: "instantly", sampleData: "lead" });
    const [enrollment] = await serviceDb().execute<{ id: string }>(sql`
      insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
      values (${fx.a.id}, ${campaignId}, ${sampleLead}, ${identityId}, now()) returning id`);
    const message = await insertSentTestMessage({
      workspaceId: fx.a.id,
      campaignId,
      enrollmentId: enrollment!.id,
      leadId: sampleLead,
      stepId,
      identityId,
      toEmail: email,
      sentAt: new Date(Date.now() - 3_600_000),
    });
    await serviceDb().execute(sql`update public.email_messages set replied_at = now() where id = ${message.id}`);
    const rep = (await as("a", "sales_rep")).headline!;
    expect(rep.sample).toEqual({ leadsOwned: 1, sent: 1, replied: 1 });
    // The manager owns none of them; the workspace's emails are theirs to see too.
    expect((await as("a", "manager")).headline!.sample).toEqual({ leadsOwned: 0, sent: 1, replied: 1 });
    expect((await as("b", "admin")).headline!.sample).toEqual({ leadsOwned: 0, sent: 0, replied: 0 });
  });
});
