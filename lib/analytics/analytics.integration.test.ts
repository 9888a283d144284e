import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { reserveSend } from "@/lib/sending/capacity/reserve-send";
import { markFirstTime } from "@/lib/sending/events/funnel";
import { unsubscribeLead } from "@/lib/suppressions/unsubscribe-lead";
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
/** The mailbox's cap and zone: m3, sent at 23:30 UTC on 2 June, counts on 3 June of Tokyo against it. */
const CAP = 2;
const MAILBOX_ZONE = "Asia/Tokyo";

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
  // The place the send step takes under the mailbox's cap, counted on the mailbox's own day.
  const reserved = await withServiceTx((tx) =>
    reserveSend(tx, {
      workspaceId: fx.a.id,
      identityId: campaign.identityId,
      dailyCap: CAP,
      identityTimeZone: MAILBOX_ZONE,
      at: at(sentAt),
    }),
  );
  expect(reserved.ok).toBe(true);
  const m = { ...message, leadId };
  sent.push(m);
  return m;
}

/**
 * A second campaign whose step 1 was A/B tested on `day` (in May, before every other range of
 * this file): per variant, `sent` emails to new unassigned leads, the first `replied` of them
 * answered the next day. Written in bulk as the send step and the inbound path leave them.
 */
async function abTestedCampaign(day: string, variants: Record<string, { sent: number; replied: number }>) {
  const c = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
  for (const [label, { sent: n, replied }] of Object.entries(variants)) {
    await serviceDb().execute(sql`
      with l as (
        insert into public.leads (workspace_id, first_name, last_name, email, status, source)
        select ${fx.a.id}, 'Ab', ${label} || i, 'ab-' || ${label} || '-' || i || '-' || ${randomSuffix()} || '@client.example', 'contacted', 'csv'
          from generate_series(1, ${n}) i
        returning id, email
      ), e as (
        insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
        select ${fx.a.id}, ${c.campaignId}, l.id, ${c.identityId}, now() from l
        returning id, lead_id
      )
      insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, variant_label, lead_id,
        identity_id, status, to_email, from_address, subject, text_body, rfc_message_id, provider_id, sent_at)
      select ${fx.a.id}, ${c.campaignId}, e.id, ${c.stepId}, 1, ${label}, l.id, ${c.identityId}, 'sent', l.email,
             'Zoë <zoe@acme.example>', 'Bonjour', 'Un mot rapide.', '<' || gen_random_uuid() || '@acme.example>', gen_random_uuid()::text,
             ${`${day}T10:00:00Z`}::timestamptz
        from e join l on l.id = e.lead_id`);
    await serviceDb().execute(sql`
      update public.email_messages set replied_at = ${`${day}T10:00:00Z`}::timestamptz + interval '1 day'
       where id in (select id from public.email_messages where campaign_id = ${c.campaignId} and variant_label = ${label}
                     order by id limit ${replied})`);
  }
  return c.campaignId;
}

beforeAll(async () => {
  fx = await createTenancyFixture();
  campaign = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
  await serviceDb().execute(
    sql`update public.sending_identities set daily_cap = ${CAP}, time_zone = ${MAILBOX_ZONE} where id = ${campaign.identityId}`,
  );
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
  // m3's lead also follows the email's unsubscribe link (today, as the route records it).
  await unsubscribeLead(serviceDb(), { workspaceId: fx.a.id, leadId: m3.leadId, campaignId: campaign.campaignId }, "link");
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
      // Marked today, when the lead's status was set: none in June's first days.
      interested: 0,
      meeting: 0,
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
    /**
     * Each stage once per email, at its first time in [from, to + 1 day) of UTC: the provider's
     * events (the earliest of duplicates and late arrivals; a soft bounce is recorded as
     * delivery_delayed, not bounced), the unsubscribe's event, the reply as the inbound path
     * records it, interest and meetings when the lead's status marked the email. The hand counts
     * below pin the same numbers without any of those columns.
     */
    const direct = async (from: string, to: string) => {
      const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
      const [row] = await serviceDb().execute<Record<string, number>>(sql`
        with firsts as (
          select m.id, m.sent_at,
                 (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'delivered') as delivered,
                 (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'opened') as opened,
                 (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'clicked') as clicked,
                 (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'bounced') as bounced,
                 (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'complained') as complained,
                 (select min(e.occurred_at) from public.email_events e where e.message_id = m.id and e.type = 'unsubscribed') as unsubscribed,
                 m.replied_at as replied, m.interested_at as interested, m.meeting_at as meeting
            from public.email_messages m where m.workspace_id = ${fx.a.id} and m.status = 'sent')
        select ${sql.raw(
          ["sent_at", "delivered", "opened", "clicked", "bounced", "complained", "unsubscribed", "replied", "interested", "meeting"]
            .map((c) => `count(*) filter (where ${c} >= '${from}' and ${c} < '${end}')::int as ${c === "sent_at" ? "sent" : c}`)
            .join(", "),
        )} from firsts`);
      return row!;
    };
    const today = new Date().toISOString().slice(0, 10);
    const june = direct(RANGE.from, RANGE.to);
    const sinceJune = direct(RANGE.from, today);
    // By hand: the unsubscribe, the interest and the meeting all happened today, not in June's first days.
    expect(await june).toEqual({
      sent: 4,
      delivered: 2,
      opened: 1,
      clicked: 1,
      bounced: 1,
      complained: 1,
      unsubscribed: 0,
      replied: 1,
      interested: 0,
      meeting: 0,
    });
    expect(await sinceJune).toEqual({
      sent: 4,
      delivered: 2,
      opened: 1,
      clicked: 1,
      bounced: 1,
      complained: 1,
      unsubscribed: 1,
      replied: 1,
      interested: 1,
      meeting: 1,
    });
    for (const [range, raw] of [
      [RANGE, await june],
      [{ ...RANGE, to: today }, await sinceJune],
    ] as const) {
      const totals = total(await getAnalytics(analyst(), range));
      for (const stage of ANALYTICS_STAGES) expect([range.to, stage, totals[stage]]).toEqual([range.to, stage, raw[stage]]);
    }
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

  it("gives each mailbox its cap, its busiest day and the days it reached the cap, on the mailbox's own days", async () => {
    // From the raw emails: sends per day of the mailbox's zone (m3 went on 3 June in Tokyo).
    const perDay = async (from: string, to: string) =>
      (
        await serviceDb().execute<{ day: string; n: number }>(sql`
          select (sent_at at time zone ${MAILBOX_ZONE})::date::text as day, count(*)::int as n from public.email_messages
           where identity_id = ${campaign.identityId} and status = 'sent'
             and (sent_at at time zone ${MAILBOX_ZONE})::date between ${from}::date and ${to}::date
           group by 1 order by 1`)
      ).map((r) => [r.day, r.n]);
    expect(await perDay(RANGE.from, RANGE.to)).toEqual([
      ["2026-06-01", 2],
      ["2026-06-02", 1],
      ["2026-06-03", 1],
    ]);
    const mailbox = (r: AnalyticsReport) => r.identities.find((i) => i.identityId === campaign.identityId);
    expect(mailbox(await getAnalytics(analyst(), RANGE))).toMatchObject({ dailyCap: CAP, peakDay: 2, daysAtCap: 1, sent: 4 });
    // Without 1 June: never at the cap; 20 May alone: its one email.
    expect(await perDay("2026-06-02", RANGE.to)).toEqual([
      ["2026-06-02", 1],
      ["2026-06-03", 1],
    ]);
    expect(mailbox(await getAnalytics(analyst(), { ...RANGE, from: "2026-06-02" }))).toMatchObject({
      dailyCap: CAP,
      peakDay: 1,
      daysAtCap: 0,
    });
    expect(await perDay("2026-05-20", "2026-05-20")).toEqual([["2026-05-20", 1]]);
    expect(mailbox(await getAnalytics(analyst(), { ...RANGE, from: "2026-05-20", to: "2026-05-20" }))).toMatchObject({
      dailyCap: CAP,
      peakDay: 1,
      daysAtCap: 0,
      sent: 1,
    });
  });

  it("counts each rep's won leads as the leads stand at the end of the range", async () => {
    const sinceJune = { from: "2026-06-01", to: new Date().toISOString().slice(0, 10), tz: "UTC" };
    const managers = [0, 1, 2].map(() =>
      insertTestLead(fx.a, { email: `w-${randomSuffix()}@client.example`, status: "contacted", ownerId: fx.a.members.manager.id }),
    );
    const [won, wonThenLost, stillOpen] = await Promise.all(managers);
    const repWon = await insertTestLead(fx.a, { email: `w-${randomSuffix()}@client.example`, ownerId: fx.a.members.sales_rep.id });
    await serviceDb().execute(sql`update public.leads set status = 'won' where id in (${won}, ${wonThenLost}, ${repWon})`);
    await serviceDb().execute(sql`update public.leads set status = 'lost' where id = ${wonThenLost}`);
    await serviceDb().execute(sql`update public.leads set status = 'interested' where id = ${stillOpen}`);
    const report = await getAnalytics(analyst(), sinceJune);
    const rep = (id: string) => report.reps.find((r) => r.ownerId === id)!;
    // By hand: the manager won one (the other went on to be lost), the rep one.
    expect(rep(fx.a.members.manager.id).won).toBe(1);
    expect(rep(fx.a.members.sales_rep.id).won).toBe(1);
    // And every owner's, from the leads themselves.
    const raw = await serviceDb().execute<{ owner_id: string | null; owned: number; won: number }>(sql`
      select owner_id, count(*)::int as owned, count(*) filter (where status = 'won')::int as won
        from public.leads where workspace_id = ${fx.a.id} and deleted_at is null group by owner_id`);
    expect(raw.length).toBeGreaterThan(1);
    for (const r of raw) expect(report.reps.find((x) => x.ownerId === r.owner_id)).toMatchObject({ owned: r.owned, won: r.won });
    // Won by the end of June's first days: none of them was a lead yet.
    const june = await getAnalytics(analyst(), RANGE);
    expect(june.reps.map((r) => r.won)).toEqual(june.reps.map(() => 0));
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

  it("marks a variant the winner only when its reply rate is significantly better, through the service as the analyst", async () => {
    // By hand (two-proportion z-test, pooled): 4/40 against 20/40 replies gives z = 3.90, p = 9.5e-5;
    // 12/40 against 10/40 gives z = 0.50, p = 0.617.
    const clear = await abTestedCampaign("2026-05-10", { A: { sent: 40, replied: 4 }, B: { sent: 40, replied: 20 } });
    const close = await abTestedCampaign("2026-05-10", { A: { sent: 40, replied: 12 }, B: { sent: 40, replied: 10 } });
    const may = { from: "2026-05-10", to: "2026-05-11", tz: "UTC" };
    const report = await getAnalytics(analyst(), may);
    const [raw] = await serviceDb().execute<{ sent: number; replied: number }>(sql`
      select count(*)::int as sent, count(replied_at)::int as replied from public.email_messages
       where campaign_id in (${clear}, ${close}) and sent_at >= '2026-05-10' and sent_at < '2026-05-12'`);
    expect(raw).toEqual({ sent: 160, replied: 46 });
    expect(total(report)).toMatchObject(raw!);
    const verdictOf = (id: string) => report.verdicts.find((v) => v.campaignId === id)?.verdict;
    expect(verdictOf(clear)).toEqual({ kind: "winner", label: "B", p: expect.closeTo(9.48e-5, 6) });
    expect(verdictOf(close)).toEqual({ kind: "no_difference", p: expect.closeTo(0.6165, 3) });
    expect(report.verdicts).toHaveLength(2);
    // A day later only the replies are in the range: no variant sent anything there.
    const nextDay = await getAnalytics(analyst(), { ...may, from: "2026-05-11" });
    expect(nextDay.verdicts.map((v) => v.verdict.kind)).toEqual(["not_enough_data", "not_enough_data"]);
    // Another workspace's analyst sees neither campaign, nor a verdict.
    const other = await getAnalytics(
      { claims: claimsFor(fx.b.members.analyst.id, fx.b.members.analyst.email), workspaceId: fx.b.id, role: "analyst" },
      may,
    );
    expect(other.verdicts).toEqual([]);
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
