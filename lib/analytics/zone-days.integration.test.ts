import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { claimsFor, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { getAnalytics } from "./get-analytics";

/**
 * Days of zones whose offset is not a whole hour: each fact (a lead made, an email sent to it)
 * counts on the viewer's local day it happened on, to the minute. With rollups per UTC hour, the
 * hour holding a quarter-offset midnight was counted whole in the day it starts in: a lead made
 * at 00:15 in India (18:45 UTC) counted on the day before, and in a range that ended then.
 */
let fx: TenancyFixture;
let ws: string;
let campaign: { campaignId: string; identityId: string; stepId: string };

/** The facts, in UTC, each a lead made and an email sent to it at that instant. */
const FACTS = [
  // Asia/Kolkata (+5:30): 00:15 on 3 March is 18:45 UTC on 2 March; 23:50 on 2 March is 18:20 UTC.
  "2026-03-02T18:45:00Z",
  "2026-03-02T18:20:00Z",
  // Asia/Kathmandu (+5:45): 00:15 on 3 April is 18:30 UTC on 2 April; 23:55 on 2 April is 18:10 UTC.
  "2026-04-02T18:30:00Z",
  "2026-04-02T18:10:00Z",
  // Australia/Adelaide, the day its summer time ends (5 April 2026, 03:00 +10:30 becomes 02:00 +9:30):
  // 00:15 on 5 April (+10:30) is 13:45 UTC on 4 April; 23:50 on 5 April (+9:30) is 14:20 UTC on
  // 5 April; 00:10 on 6 April is 14:40 UTC.
  "2026-04-04T13:45:00Z",
  "2026-04-05T14:20:00Z",
  "2026-04-05T14:40:00Z",
  // Australia/Adelaide, the day its summer time starts (4 October 2026, 02:00 +9:30 becomes 03:00
  // +10:30): 00:20 on 4 October is 14:50 UTC on 3 October; 00:05 on 5 October (+10:30) is 13:35 UTC.
  "2026-10-03T14:50:00Z",
  "2026-10-04T13:35:00Z",
].map((t) => new Date(t));

const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(at);

beforeAll(async () => {
  fx = await createTenancyFixture();
  ws = fx.a.id;
  campaign = await createRunningTestCampaign(ws, fx.a.members.sales_rep, fx.a.members.admin, []);
  const db = serviceDb();
  for (const at of FACTS) {
    const email = `z-${randomSuffix()}@client.example`;
    const leadId = await insertTestLead(
      { id: ws },
      { email, status: "contacted", ownerId: fx.a.members.sales_rep.id, source: "apollo", createdAt: at },
    );
    const [enrollment] = await db.execute<{ id: string }>(sql`
      insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
      values (${ws}, ${campaign.campaignId}, ${leadId}, ${campaign.identityId}, now()) returning id`);
    const message = await insertSentTestMessage({
      workspaceId: ws,
      campaignId: campaign.campaignId,
      enrollmentId: enrollment!.id,
      leadId,
      stepId: campaign.stepId,
      identityId: campaign.identityId,
      toEmail: email,
      sentAt: at,
    });
    // A reply a few minutes later, still on the same local day.
    await db.execute(sql`update public.email_messages set replied_at = sent_at + interval '4 minutes' where id = ${message.id}`);
  }
});
afterAll(() => removeTenancyFixture(fx));

const analyst = () => ({
  claims: claimsFor(fx.a.members.analyst.id, fx.a.members.analyst.email),
  workspaceId: ws,
  role: "analyst" as const,
});

const CASES = [
  // A range ending the day before a fact at 00:15, the fact's own day, and both.
  { tz: "Asia/Kolkata", from: "2026-03-01", to: "2026-03-02" },
  { tz: "Asia/Kolkata", from: "2026-03-03", to: "2026-03-03" },
  { tz: "Asia/Kolkata", from: "2026-03-02", to: "2026-03-04" },
  { tz: "Asia/Kathmandu", from: "2026-04-01", to: "2026-04-02" },
  { tz: "Asia/Kathmandu", from: "2026-04-03", to: "2026-04-03" },
  { tz: "Asia/Kathmandu", from: "2026-04-02", to: "2026-04-03" },
  { tz: "Australia/Adelaide", from: "2026-04-04", to: "2026-04-04" },
  { tz: "Australia/Adelaide", from: "2026-04-05", to: "2026-04-05" },
  { tz: "Australia/Adelaide", from: "2026-04-04", to: "2026-04-06" },
  { tz: "Australia/Adelaide", from: "2026-10-03", to: "2026-10-03" },
  { tz: "Australia/Adelaide", from: "2026-10-04", to: "2026-10-05" },
  // Weeks (over 92 days): the facts' weeks start on Mondays of the zone.
  { tz: "Asia/Kolkata", from: "2026-02-01", to: "2026-10-31" },
  { tz: "Australia/Adelaide", from: "2026-01-01", to: "2026-06-30" },
  // Whole-hour zones, unchanged.
  { tz: "UTC", from: "2026-03-02", to: "2026-04-05" },
  { tz: "America/New_York", from: "2026-03-02", to: "2026-04-05" },
];

describe("analytics in zones whose offset is not a whole hour", () => {
  it.each(CASES)("counts each fact on its local day, $tz, $from to $to", async ({ tz, from, to }) => {
    const report = await getAnalytics(analyst(), { from, to, tz });
    expect(report.range.notices).toEqual([]);
    const inRange = FACTS.filter((at) => localDay(at, tz) >= from && localDay(at, tz) <= to);
    const before = FACTS.filter((at) => localDay(at, tz) <= to);

    // The funnel and the breakdowns: the range's totals.
    const sent = report.funnel.reduce((n, r) => n + r.sent, 0);
    const replied = report.funnel.reduce((n, r) => n + r.replied, 0);
    expect([sent, replied]).toEqual([inRange.length, inRange.length]);
    expect(report.reps.reduce((n, r) => n + r.sent, 0)).toBe(inRange.length);
    expect(report.identities.reduce((n, r) => n + r.sent, 0)).toBe(inRange.length);
    expect(report.sources.map((s) => [s.source, s.leadsCreated, s.sent])).toContainEqual(["apollo", inRange.length, inRange.length]);

    // The series: each fact on its period (the day, or the Monday of its week, in the zone).
    const periodOf = (at: Date) => report.daily.map((p) => p.day).findLast((d) => d <= localDay(at, tz))!;
    const expected = new Map<string, number>();
    for (const at of inRange) expected.set(periodOf(at), (expected.get(periodOf(at)) ?? 0) + 1);
    expect(report.daily.filter((p) => p.sent > 0).map((p) => [p.day, p.sent, p.replied])).toEqual(
      [...expected].sort(([a], [b]) => a.localeCompare(b)).map(([d, n]) => [d, n, n]),
    );

    // The pipeline at the end of each period, and the leads owned at the range's end.
    for (const point of report.pipeline) {
      const next = report.pipeline[report.pipeline.indexOf(point) + 1]?.day;
      const standing = FACTS.filter((at) => (next ? localDay(at, tz) < next : localDay(at, tz) <= to)).length;
      expect([point.day, point.contacted]).toEqual([point.day, standing]);
    }
    expect(report.reps.find((r) => r.ownerId === fx.a.members.sales_rep.id)?.owned ?? 0).toBe(before.length);
  });
});
