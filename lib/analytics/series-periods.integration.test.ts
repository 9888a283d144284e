import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { claimsFor, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { exportAnalyticsTable } from "./export-analytics";
import { getAnalytics } from "./get-analytics";
import { reportTable } from "./report-tables";

/**
 * A long range is shown by week or by month of the viewer's zone (lib/analytics/periods.ts),
 * summed in the database from the daily rollups and, for the UTC days a period starts in, the
 * quarter-hourly ones. Emails sit on both sides of week and month boundaries of New York,
 * Berlin, Kolkata (+5:30) and Adelaide (+9:30, +10:30 in summer), on the nights their clocks
 * change, and at the range's edges; each period's counts must equal a count of the emails
 * themselves, to the instant, bucketed by PostgreSQL's own calendar in that zone.
 */
let fx: TenancyFixture;
let ws: string;
const db = () => serviceDb();

const BOUNDARY_SENDS = [
  // New York: the week of Monday 9 March 2026, right after its change to summer time (Sunday 8 March, 02:00).
  "2026-03-08T06:30:00Z",
  "2026-03-09T03:30:00Z",
  "2026-03-09T04:30:00Z",
  // New York's month boundary 31 March / 1 April, and Berlin's (22:00 UTC in summer time).
  "2026-03-31T21:30:00Z",
  "2026-03-31T22:30:00Z",
  "2026-04-01T03:30:00Z",
  "2026-04-01T04:30:00Z",
  // Berlin changes to summer time on Sunday 29 March: Monday 30 March starts at 22:00 UTC on the 29th.
  "2026-03-29T21:30:00Z",
  "2026-03-29T22:30:00Z",
  // A winter week boundary in both zones.
  "2026-02-22T22:30:00Z",
  "2026-02-23T04:30:00Z",
  "2026-02-23T05:30:00Z",
  // New York's change back to winter time (Sunday 1 November 2026) and the month boundary before it.
  "2026-11-01T03:30:00Z",
  "2026-11-01T04:30:00Z",
  "2026-11-01T05:30:00Z",
  "2026-11-01T06:30:00Z",
  // The month range's first and last days' edges.
  "2025-10-14T21:30:00Z",
  "2025-10-15T03:30:00Z",
  "2025-10-15T04:30:00Z",
  "2026-11-30T22:30:00Z",
  "2026-12-01T04:30:00Z",
  "2026-12-01T05:30:00Z",
  // Kolkata's week of Monday 23 February starts at 18:30 UTC on the 22nd, its month of April at 18:30 UTC on 31 March.
  "2026-02-22T18:20:00Z",
  "2026-02-22T18:40:00Z",
  "2026-03-31T18:25:00Z",
  "2026-03-31T18:35:00Z",
  // Adelaide's summer time ends on Sunday 5 April 2026 (+10:30 to +9:30): its month of April starts
  // at 13:30 UTC on 31 March, its week of Monday 6 April at 14:30 UTC on the 5th.
  "2026-03-31T13:20:00Z",
  "2026-03-31T13:45:00Z",
  "2026-04-05T14:25:00Z",
  "2026-04-05T14:35:00Z",
];
// And one every 250 hours across the whole span.
const SPREAD = Array.from({ length: 42 }, (_, i) => new Date(Date.parse("2025-10-10T00:00:00Z") + i * 250 * 3_600_000).toISOString());

beforeAll(async () => {
  fx = await createTenancyFixture();
  ws = fx.a.id;
  const c = await createRunningTestCampaign(ws, fx.a.members.sales_rep, fx.a.members.admin, []);
  const sends = [...BOUNDARY_SENDS, ...SPREAD];
  for (const [i, sentAt] of sends.entries()) {
    const email = `p-${i}-${randomSuffix()}@client.example`;
    // Each lead made a day before its email (the pipeline counts it from then), in one of two statuses.
    const leadId = await insertTestLead(
      { id: ws },
      { email, status: i % 3 === 0 ? "new" : "contacted", createdAt: new Date(Date.parse(sentAt) - 86_400_000) },
    );
    const [enrollment] = await db().execute<{ id: string }>(sql`
      insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
      values (${ws}, ${c.campaignId}, ${leadId}, ${c.identityId}, now()) returning id`);
    await insertSentTestMessage({
      workspaceId: ws,
      campaignId: c.campaignId,
      enrollmentId: enrollment!.id,
      leadId,
      stepId: c.stepId,
      identityId: c.identityId,
      toEmail: email,
      sentAt: new Date(sentAt),
    });
  }
  // Replies a day and a half later, for every third email: a second stage in other hours.
  await db().execute(sql`
    update public.email_messages set replied_at = sent_at + interval '36 hours'
     where workspace_id = ${ws} and (extract(epoch from sent_at)::bigint / 1800) % 3 = 0`);
});
afterAll(() => removeTenancyFixture(fx));

const analyst = () => ({
  claims: claimsFor(fx.a.members.analyst.id, fx.a.members.analyst.email),
  workspaceId: ws,
  role: "analyst" as const,
});

const CASES = [
  { name: "weeks", from: "2026-02-18", to: "2026-05-31", trunc: "week", header: "Week of" },
  { name: "months", from: "2025-10-15", to: "2026-11-30", trunc: "month", header: "Month" },
].flatMap((r) => ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Adelaide"].map((tz) => ({ ...r, tz })));

describe("a long range by week or month", () => {
  it.each(CASES)("counts each $name's sends, replies and leads as the emails and leads have them, in $tz", async (c) => {
    const report = await getAnalytics(analyst(), { from: c.from, to: c.to, tz: c.tz });
    expect(report.range.notices).toEqual([]);
    expect(report.granularity).toBe(c.trunc);

    // The periods: each week (from Monday) or month of the range, the first one starting on the range's first day.
    const periods = await db().execute<{ p: string }>(sql`
      select distinct to_char(greatest(date_trunc(${c.trunc}, d), ${c.from}::date), 'YYYY-MM-DD') as p
        from generate_series(${c.from}::date, ${c.to}::date, interval '1 day') d order by 1`);
    expect(report.daily.map((d) => d.day)).toEqual(periods.map((p) => p.p));
    expect(report.pipeline.map((d) => d.day)).toEqual(periods.map((p) => p.p));

    // Each stage in the period of the zone it happened in, within the range (PostgreSQL's tzdata, not the app's Intl).
    const periodOf = (column: string) =>
      sql.raw(`to_char(greatest(date_trunc('${c.trunc}', m.${column} at time zone '${c.tz}'), '${c.from}'::date), 'YYYY-MM-DD')`);
    const inRange = (column: string) =>
      sql.raw(`m.${column} >= ('${c.from}'::timestamp at time zone '${c.tz}')
               and m.${column} < (('${c.to}'::date + 1)::timestamp at time zone '${c.tz}')`);
    const facts = async (column: string) =>
      new Map(
        (
          await db().execute<{ p: string; n: number }>(sql`
            select ${periodOf(column)} as p, count(*)::int as n from public.email_messages m
             where m.workspace_id = ${ws} and m.status = 'sent' and m.${sql.raw(column)} is not null and ${inRange(column)}
             group by 1`)
        ).map((r) => [r.p, r.n]),
      );
    const [sent, replied] = [await facts("sent_at"), await facts("replied_at")];
    expect([...sent.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    expect(replied.size).toBeGreaterThan(1);
    expect(report.daily.map((d) => [d.day, d.sent, d.replied])).toEqual(
      report.daily.map((d) => [d.day, sent.get(d.day) ?? 0, replied.get(d.day) ?? 0]),
    );

    // The pipeline: the leads made before each period's end (every lead keeps its status), per status.
    const ends = [...periods.slice(1).map((p) => `'${p.p}'::timestamp`), `('${c.to}'::date + 1)::timestamp`];
    for (const [i, point] of report.pipeline.entries()) {
      const [counts] = await db().execute<{ new: number; contacted: number }>(sql`
        select count(*) filter (where l.status = 'new')::int as new, count(*) filter (where l.status = 'contacted')::int as contacted
          from public.leads l
         where l.workspace_id = ${ws} and l.deleted_at is null
           and l.created_at < (${sql.raw(ends[i]!)} at time zone ${c.tz})`);
      expect([point.day, point.new, point.contacted]).toEqual([point.day, counts!.new, counts!.contacted]);
    }

    // The table and its CSV name the periods the same way ("Week of" the period's first day, or the month).
    const table = reportTable(report, "daily");
    expect(table.columns[0]!.label).toBe(c.header);
    expect(table.rows.map((r) => r[0])).toEqual(report.daily.map((d) => (c.trunc === "month" ? d.day.slice(0, 7) : d.day)));
    expect(reportTable(report, "pipeline").columns[0]!.label).toBe(c.header);
    const exported = await exportAnalyticsTable(
      { ...analyst(), userId: fx.a.members.analyst.id },
      { from: c.from, to: c.to, tz: c.tz },
      "daily",
    );
    const lines = (await new Response(exported.csv).text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(`${c.header},Sent,Replied,Bounced,Complained`);
    expect(lines.slice(1)).toEqual(table.rows.map((r) => r.join(",")));
  });

  it("keeps a range of up to 92 days by day", async () => {
    const report = await getAnalytics(analyst(), { from: "2026-03-01", to: "2026-05-31", tz: "America/New_York" });
    expect(report.granularity).toBe("day");
    expect(report.daily).toHaveLength(92);
    expect(reportTable(report, "daily").columns[0]!.label).toBe("Day");
  });
});
