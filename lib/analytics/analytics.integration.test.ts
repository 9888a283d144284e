import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { markFirstTime } from "@/lib/sending/events/funnel";
import { processWebhookReceipt } from "@/lib/sending/events/process-webhook-receipt";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { asUser, claimsFor, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { deliverResendEvent } from "@/tests/fixtures/webhook-delivery";
import { exportAnalyticsTable } from "./export-analytics";
import { buildAnalyticsReport, getAnalytics, type AnalyticsReport } from "./get-analytics";
import { parseAnalyticsRange } from "./range";
import { ANALYTICS_STAGES } from "./stages";

let fx: TenancyFixture;
let campaign: Awaited<ReturnType<typeof createRunningTestCampaign>>;
type Sent = { id: string; providerId: string; leadId: string };
const sent: Sent[] = [];

const at = (iso: string) => new Date(iso);
const RANGE = { from: "2026-06-01", to: "2026-06-05", tz: "UTC" };

/** Delivers a signed Resend event about a message, dated `when`, through the webhook route, then processes it as the job does. */
async function event(m: Sent, type: string, when: string, extra: Record<string, unknown> = {}, deliveryId = `msg_${randomUUID()}`) {
  const tags = { workspace_id: fx.a.id, campaign_id: campaign.campaignId, message_id: m.id };
  return processWebhookReceipt(await deliverResendEvent(type, { email_id: m.providerId, tags, ...extra }, deliveryId, at(when)));
}

async function sendTo(i: number, variant: string, sentAt: string, owner: "sales_rep" | "manager", source: "csv" | "apollo") {
  const email = `a-${i}-${randomSuffix()}@client.example`;
  const leadId = await insertTestLead(fx.a, { email, status: "contacted", ownerId: fx.a.members[owner].id, source });
  const [enrollment] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
    values (${fx.a.id}, ${campaign.campaignId}, ${leadId}, ${campaign.identityId}, now()) returning id`);
  const message = await insertSentTestMessage({
    workspaceId: fx.a.id,
    campaignId: campaign.campaignId,
    enrollmentId: enrollment!.id,
    leadId,
    stepId: campaign.stepId,
    identityId: campaign.identityId,
    toEmail: email,
    sentAt: at(sentAt),
  });
  await serviceDb().execute(sql`update public.email_messages set variant_label = ${variant} where id = ${message.id}`);
  const m = { ...message, leadId };
  sent.push(m);
  return m;
}

beforeAll(async () => {
  fx = await createTenancyFixture();
  campaign = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
  const m0 = await sendTo(0, "A", "2026-06-01T09:15:00Z", "sales_rep", "csv");
  const m1 = await sendTo(1, "A", "2026-06-01T09:20:00Z", "sales_rep", "apollo");
  const m2 = await sendTo(2, "B", "2026-06-02T10:00:00Z", "manager", "csv");
  const m3 = await sendTo(3, "B", "2026-06-02T23:30:00Z", "manager", "csv");
  // Outside the range: counted nowhere in it.
  await sendTo(4, "A", "2026-05-20T12:00:00Z", "sales_rep", "csv");

  // m0: delivered, opened twice (two deliveries), then an earlier open arrives late; clicked.
  await event(m0, "email.delivered", "2026-06-01T09:16:00Z");
  await event(m0, "email.opened", "2026-06-03T08:00:00Z");
  await event(m0, "email.opened", "2026-06-03T09:00:00Z");
  await event(m0, "email.opened", "2026-06-02T07:00:00Z");
  await event(m0, "email.clicked", "2026-06-02T07:05:00Z", { click: { link: "https://acme.example/x" } });
  // The same delivery twice (the provider retries it), and the same event again under another id.
  const dup = `msg_${randomUUID()}`;
  await event(m1, "email.delivered", "2026-06-01T09:21:00Z", {}, dup);
  await event(m1, "email.delivered", "2026-06-01T09:21:00Z", {}, dup);
  await event(m1, "email.delivered", "2026-06-01T09:22:00Z");
  // m1 replies (as the inbound path records it), becomes interested, then has a meeting.
  await withServiceTx((tx) => markFirstTime(tx, { id: m1.id, workspaceId: fx.a.id }, "repliedAt", at("2026-06-02T11:00:00Z")));
  await serviceDb().execute(sql`update public.leads set status = 'interested' where id = ${m1.leadId}`);
  await serviceDb().execute(sql`update public.leads set status = 'meeting' where id = ${m1.leadId}`);
  // m2 bounces hard; a soft bounce first is no bounce. m3 complains.
  await event(m2, "email.bounced", "2026-06-02T10:01:00Z", { bounce: { type: "Transient" } });
  await event(m2, "email.bounced", "2026-06-02T10:02:00Z", { bounce: { type: "Permanent", message: "550" } });
  await event(m3, "email.complained", "2026-06-04T01:00:00Z");
});
afterAll(() => removeTenancyFixture(fx));

const analyst = () => ({
  claims: claimsFor(fx.a.members.analyst.id, fx.a.members.analyst.email),
  workspaceId: fx.a.id,
  role: "analyst" as const,
});
const total = (report: AnalyticsReport) =>
  Object.fromEntries(ANALYTICS_STAGES.map((s) => [s, report.funnel.reduce((n, r) => n + r[s], 0)])) as Record<string, number>;

describe("analytics from the rollups", () => {
  it("counts each stage once per message, on the day it first happened, whatever the order and the duplicates", async () => {
    const report = await getAnalytics(analyst(), RANGE);
    expect(report.range.notices).toEqual([]);
    expect(total(report)).toEqual({
      sent: 4,
      delivered: 2,
      opened: 1,
      clicked: 1,
      replied: 1,
      interested: expect.any(Number),
      meeting: expect.any(Number),
      bounced: 1,
      unsubscribed: 0,
      complained: 1,
    });
    const a = report.funnel.find((r) => r.variantLabel === "A")!;
    const b = report.funnel.find((r) => r.variantLabel === "B")!;
    expect(a).toMatchObject({ stepPosition: 1, sent: 2, delivered: 2, opened: 1, clicked: 1, replied: 1, bounced: 0 });
    expect(b).toMatchObject({ stepPosition: 1, sent: 2, delivered: 0, bounced: 1, complained: 1 });
    // The late, earlier open moved the message to 2 June; the soft bounce counted nothing.
    expect(report.daily).toEqual([
      { day: "2026-06-01", sent: 2, replied: 0, bounced: 0, complained: 0 },
      { day: "2026-06-02", sent: 2, replied: 1, bounced: 1, complained: 0 },
      { day: "2026-06-03", sent: 0, replied: 0, bounced: 0, complained: 0 },
      { day: "2026-06-04", sent: 0, replied: 0, bounced: 0, complained: 1 },
      { day: "2026-06-05", sent: 0, replied: 0, bounced: 0, complained: 0 },
    ]);
    // Too few emails for a z-test: no winner is marked.
    expect(report.verdicts).toEqual([{ campaignId: campaign.campaignId, stepPosition: 1, verdict: { kind: "not_enough_data" } }]);
  });

  it("sums the hours into the days of the viewer's zone, east and west of UTC", async () => {
    // Tokyo (UTC+9): m3, sent at 23:30 UTC on 2 June, went on 3 June there.
    const tokyo = await getAnalytics(analyst(), { ...RANGE, tz: "Asia/Tokyo" });
    expect(tokyo.range.notices).toEqual([]);
    expect(tokyo.daily).toEqual([
      { day: "2026-06-01", sent: 2, replied: 0, bounced: 0, complained: 0 },
      { day: "2026-06-02", sent: 1, replied: 1, bounced: 1, complained: 0 },
      { day: "2026-06-03", sent: 1, replied: 0, bounced: 0, complained: 0 },
      { day: "2026-06-04", sent: 0, replied: 0, bounced: 0, complained: 1 },
      { day: "2026-06-05", sent: 0, replied: 0, bounced: 0, complained: 0 },
    ]);
    // New York (UTC−4 in June): the complaint at 01:00 UTC on 4 June came on the evening of 3 June.
    const newYork = await getAnalytics(analyst(), { ...RANGE, tz: "America/New_York" });
    expect(newYork.daily.map((d) => [d.day, d.sent, d.complained])).toEqual([
      ["2026-06-01", 2, 0],
      ["2026-06-02", 2, 0],
      ["2026-06-03", 0, 1],
      ["2026-06-04", 0, 0],
      ["2026-06-05", 0, 0],
    ]);
    // The pipeline's last day, in a zone too, is every live lead as it stands.
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
    const pipeline = (await getAnalytics(analyst(), { from: "2026-06-01", to: today, tz: "Asia/Tokyo" })).pipeline;
    const [live] = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int as n from public.leads where workspace_id = ${fx.a.id} and deleted_at is null`,
    );
    const last = pipeline.at(-1)!;
    expect(Object.entries(last).reduce((n, [k, v]) => (k === "day" ? n : n + (v as number)), 0)).toBe(live!.n);
    expect(pipeline[0]!.day).toBe("2026-06-01");
  });

  it("equals a direct computation from the raw messages and events", async () => {
    const report = await getAnalytics(analyst(), RANGE);
    const [direct] = await serviceDb().execute<Record<string, number>>(sql`
      with firsts as (
        select m.id, m.sent_at,
               (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'delivered') as delivered,
               (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'opened') as opened,
               (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'clicked') as clicked,
               (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'bounced') as bounced,
               (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'complained') as complained,
               m.replied_at as replied
          from public.email_messages m where m.workspace_id = ${fx.a.id} and m.status = 'sent')
      select ${sql.raw(
        ["sent_at", "delivered", "opened", "clicked", "bounced", "complained", "replied"]
          .map((c) => `count(*) filter (where ${c} >= '2026-06-01' and ${c} < '2026-06-06')::int as ${c === "sent_at" ? "sent" : c}`)
          .join(", "),
      )} from firsts`);
    const totals = total(report);
    for (const [stage, n] of Object.entries(direct!)) expect([stage, totals[stage]]).toEqual([stage, n]);
  });

  it("counts interest and meetings on the email the lead answered, and the pipeline as the leads stand", async () => {
    const report = await getAnalytics(analyst(), { from: "2026-06-01", to: new Date().toISOString().slice(0, 10), tz: "UTC" });
    expect(total(report)).toMatchObject({ sent: 4, interested: 1, meeting: 1 });
    const [counts] = await serviceDb().execute<{ n: number; meeting: number }>(sql`
      select count(*)::int as n, count(*) filter (where status = 'meeting')::int as meeting
        from public.leads where workspace_id = ${fx.a.id} and deleted_at is null`);
    const last = report.pipeline.at(-1)!;
    const live = Object.entries(last)
      .filter(([k]) => k !== "day")
      .reduce((n, [, v]) => n + (v as number), 0);
    expect(live).toBe(counts!.n);
    expect(last.meeting).toBe(counts!.meeting);
    const rep = report.reps.find((r) => r.ownerId === fx.a.members.sales_rep.id)!;
    // Three leads, one of whose emails went before the range.
    expect(rep).toMatchObject({ owned: 3, sent: 2, contacted: 2, replied: 1, meetings: 1 });
    expect(report.sources.find((s) => s.source === "apollo")).toMatchObject({ sent: 1, replied: 1 });
    expect(report.identities.find((i) => i.identityId === campaign.identityId)).toMatchObject({ sent: 4, bounced: 1, complained: 1 });
  });

  it("counts a lead marked interested or at a meeting without a reply on its last email, once, in the funnel and the rep's meetings", async () => {
    const sinceJune = { from: "2026-06-01", to: new Date().toISOString().slice(0, 10), tz: "UTC" };
    const before = await getAnalytics(analyst(), sinceJune);
    const m0 = sent[0]!;
    // m0's lead never answered; its rep sets it to interested and then to a meeting after a call.
    await serviceDb().execute(sql`update public.leads set status = 'interested' where id = ${m0.leadId}`);
    await serviceDb().execute(sql`update public.leads set status = 'meeting' where id = ${m0.leadId}`);
    // Back and forth again: the lead already counts, nothing moves.
    await serviceDb().execute(sql`update public.leads set status = 'contacted' where id = ${m0.leadId}`);
    await serviceDb().execute(sql`update public.leads set status = 'meeting' where id = ${m0.leadId}`);
    // A lead no campaign emailed: in the pipeline only.
    const unmailed = await insertTestLead(fx.a, { email: `u-${randomSuffix()}@client.example`, ownerId: fx.a.members.sales_rep.id });
    await serviceDb().execute(sql`update public.leads set status = 'meeting' where id = ${unmailed}`);

    const after = await getAnalytics(analyst(), sinceJune);
    expect(total(after)).toMatchObject({
      ...total(before),
      interested: total(before).interested! + 1,
      meeting: total(before).meeting! + 1,
    });
    const variantA = (r: AnalyticsReport) => r.funnel.find((x) => x.variantLabel === "A")!;
    expect(variantA(after)).toMatchObject({ replied: variantA(before).replied, meeting: variantA(before).meeting + 1 });
    const rep = (r: AnalyticsReport) => r.reps.find((x) => x.ownerId === fx.a.members.sales_rep.id)!;
    expect(rep(after).meetings).toBe(rep(before).meetings + 1);
    // The rep's meetings are the funnel's, for the rep's leads.
    const ownFunnel = await getAnalytics(analyst(), { ...sinceJune, owner: fx.a.members.sales_rep.id });
    expect(total(ownFunnel).meeting).toBe(rep(after).meetings);
    expect(after.pipeline.at(-1)!.meeting).toBe(before.pipeline.at(-1)!.meeting + 2);
    // Marked on m0, the only email that lead was sent, when the status was set.
    const [marked] = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int as n from public.email_messages where lead_id = ${m0.leadId} and interested_at is not null and meeting_at is not null`,
    );
    expect(marked!.n).toBe(1);
  });

  it("follows filters by owner, source and identity", async () => {
    const byManager = await getAnalytics(analyst(), { ...RANGE, owner: fx.a.members.manager.id });
    expect(total(byManager)).toMatchObject({ sent: 2, bounced: 1, complained: 1, replied: 0 });
    const bySource = await getAnalytics(analyst(), { ...RANGE, source: "apollo" });
    expect(total(bySource)).toMatchObject({ sent: 1, replied: 1 });
    const otherIdentity = await getAnalytics(analyst(), { ...RANGE, identity: randomUUID() });
    expect(total(otherIdentity).sent).toBe(0);
  });

  it("moves counts back out when a message is deleted with its lead", async () => {
    const m = await sendTo(9, "A", "2026-06-05T12:00:00Z", "sales_rep", "csv");
    expect(total(await getAnalytics(analyst(), RANGE)).sent).toBe(5);
    await serviceDb().execute(sql`delete from public.leads where id = ${m.leadId}`);
    expect(total(await getAnalytics(analyst(), RANGE)).sent).toBe(4);
  });

  it("shows a workspace's numbers to no one else: another tenant's member, a viewer, or a forged workspace id", async () => {
    const q = { ...parseAnalyticsRange(RANGE, "UTC"), workspaceId: fx.a.id };
    const forged = await asUser(fx.b.members.admin, (tx) => buildAnalyticsReport(tx, q));
    expect(forged.funnel).toEqual([]);
    expect(forged.daily.every((d) => d.sent === 0)).toBe(true);
    expect(forged.reps).toEqual([]);
    const asViewer = await asUser(fx.a.members.viewer, (tx) => buildAnalyticsReport(tx, q));
    expect(asViewer.funnel).toEqual([]);
    await expect(
      getAnalytics({ claims: claimsFor(fx.a.members.viewer.id, fx.a.members.viewer.email), workspaceId: fx.a.id, role: "viewer" }, RANGE),
    ).rejects.toMatchObject({ code: "forbidden" });
    // B's own page shows B's (empty) numbers.
    const own = await getAnalytics(
      { claims: claimsFor(fx.b.members.analyst.id, fx.b.members.analyst.email), workspaceId: fx.b.id, role: "analyst" },
      RANGE,
    );
    expect(total(own).sent).toBe(0);
  });

  it("equals what the migration's backfill builds from the same emails", async () => {
    const snapshot = (db: Pick<ReturnType<typeof serviceDb>, "execute">) =>
      db.execute<{ row: string }>(
        sql`select to_jsonb(h)::text as row from public.analytics_message_hours h
              where workspace_id = ${fx.a.id} and (${sql.raw(ANALYTICS_STAGES.map((s) => `${s} <> 0`).join(" or "))}) order by 1`,
      );
    // Rows whose counts all went back to zero (an email moved to an earlier hour) stay, empty: left out here.
    const incremental = await snapshot(serviceDb());
    expect(incremental.length).toBeGreaterThan(0);
    const rebuilt = await serviceDb()
      .transaction(async (tx) => {
        await tx.execute(sql`delete from public.analytics_message_hours where workspace_id = ${fx.a.id}`);
        const rows = `SELECT 1 AS sign, * FROM public.email_messages WHERE workspace_id = '${fx.a.id}'`;
        const [built] = await tx.execute<{ q: string }>(sql`select private.analytics_message_upsert_sql(${rows}) as q`);
        await tx.execute(sql.raw(built!.q));
        throw Object.assign(new Error("rollback"), { rows: await snapshot(tx) });
      })
      .catch((e: { rows?: unknown }) => e.rows);
    expect(rebuilt).toEqual(incremental);
  });

  it("exports a table as the page shows it, formula-safe, to roles with data.export only", async () => {
    await serviceDb().execute(
      sql`update public.campaigns set name = '=HYPERLINK("http://evil.example")' where id = ${campaign.campaignId}`,
    );
    const actor = { ...analyst(), userId: fx.a.members.analyst.id };
    const exported = await exportAnalyticsTable(actor, RANGE, "funnel");
    const csv = await new Response(exported.csv).text();
    expect(exported.rowCount).toBe(2);
    expect(csv.split("\n")[0]).toMatch(/^\uFEFF?Campaign,Step,Variant,Sent,Delivered/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")",1,A,2,2`);
    const viewer = { claims: claimsFor(fx.a.members.viewer.id, fx.a.members.viewer.email), workspaceId: fx.a.id, role: "viewer" as const };
    await expect(exportAnalyticsTable({ ...viewer, userId: fx.a.members.viewer.id }, RANGE, "funnel")).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("lets no member write the rollups", async () => {
    const bumped = await asUser(fx.a.members.admin, (tx) =>
      tx.execute(sql`update public.analytics_message_hours set sent = sent + 100 where workspace_id = ${fx.a.id} returning 1`),
    );
    expect(bumped).toHaveLength(0);
    await expect(
      asUser(fx.a.members.admin, (tx) =>
        tx.execute(sql`insert into public.analytics_message_hours (workspace_id, hour, campaign_id, step_position, sent)
          values (${fx.a.id}, now(), ${campaign.campaignId}, 1, 100)`),
      ),
    ).rejects.toSatisfy((e) => sqlStateOf(e) === "42501");
  });
});
