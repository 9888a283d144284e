import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { markFirstTime } from "@/lib/sending/events/funnel";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { claimsFor, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { getAnalytics } from "./get-analytics";

/**
 * The analytics report says how much of its range's figures a vendor's sandbox made: leads it
 * invented or wrote values into, created in the range, the emails sent to them and their
 * replies in the range, and Instantly's figures when the workspace is on the Instantly sandbox.
 */
let fx: TenancyFixture;
let campaign: Awaited<ReturnType<typeof createRunningTestCampaign>>;
const at = (iso: string) => new Date(iso);
const RANGE = { from: "2026-06-01", to: "2026-06-05", tz: "UTC" };

async function lead(
  ws: TenancyFixture["a"],
  sampleData: "lead" | "values" | null,
  source: "csv" | "apollo" | "instantly",
  createdAt: string,
): Promise<{ id: string; email: string }> {
  const email = `s-${randomSuffix()}@sample.example`;
  const id = await insertTestLead(ws, { email, source, ownerId: ws.members.sales_rep.id });
  await serviceDb().execute(
    sql`update public.leads set sample_data = ${sampleData}, created_at = ${createdAt}::timestamptz where id = ${id}`,
  );
  return { id, email };
}

async function sendTo(l: { id: string; email: string }, sentAt: string): Promise<string> {
  const [enrollment] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
    values (${fx.a.id}, ${campaign.campaignId}, ${l.id}, ${campaign.identityId}, now()) returning id`);
  const message = await insertSentTestMessage({
    workspaceId: fx.a.id,
    campaignId: campaign.campaignId,
    enrollmentId: enrollment!.id,
    leadId: l.id,
    stepId: campaign.stepId,
    identityId: campaign.identityId,
    toEmail: l.email,
    sentAt: at(sentAt),
  });
  return message.id;
}

beforeAll(async () => {
  fx = await createTenancyFixture();
  campaign = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
  const apollo1 = await lead(fx.a, "lead", "apollo", "2026-06-01T08:00:00Z");
  await lead(fx.a, "lead", "apollo", "2026-06-02T08:00:00Z");
  const fromReply = await lead(fx.a, "lead", "instantly", "2026-06-03T08:00:00Z");
  const enriched = await lead(fx.a, "values", "csv", "2026-06-01T12:00:00Z");
  // Not counted: a real lead, a sample lead made before the range, another workspace's.
  const real = await lead(fx.a, null, "csv", "2026-06-01T08:00:00Z");
  const before = await lead(fx.a, "lead", "apollo", "2026-05-01T08:00:00Z");
  await lead(fx.b, "lead", "apollo", "2026-06-01T08:00:00Z");

  await sendTo(apollo1, "2026-06-01T09:00:00Z");
  const answered = await sendTo(enriched, "2026-06-02T09:00:00Z");
  await withServiceTx((tx) => markFirstTime(tx, { id: answered, workspaceId: fx.a.id }, "repliedAt", at("2026-06-02T11:00:00Z")));
  // The sample lead made before the range, emailed in it: its email counts, the lead does not.
  await sendTo(before, "2026-06-03T09:00:00Z");
  await sendTo(real, "2026-06-01T09:30:00Z");
  await sendTo(fromReply, "2026-06-09T09:00:00Z"); // after the range
});
afterAll(() => removeTenancyFixture(fx));

const analyst = () => ({
  claims: claimsFor(fx.a.members.analyst.id, fx.a.members.analyst.email),
  workspaceId: fx.a.id,
  role: "analyst" as const,
});

describe("analytics: sample data in the figures", () => {
  it("counts the leads a sandbox made in the range, per vendor, and the emails to and replies from them, nothing real and nothing of another workspace", async () => {
    const report = await getAnalytics(analyst(), RANGE);
    expect(report.sampleData).toEqual({
      inventedLeads: [
        { source: "apollo", count: 2 },
        { source: "instantly", count: 1 },
      ],
      leadsWithSampleValues: 1,
      sentToSampleLeads: 3,
      repliesFromSampleLeads: 1,
      instantlySandbox: false,
    });
  });

  it("follows the page's filters (source)", async () => {
    const report = await getAnalytics(analyst(), { ...RANGE, source: "apollo" });
    expect(report.sampleData).toMatchObject({
      inventedLeads: [{ source: "apollo", count: 2 }],
      leadsWithSampleValues: 0,
      sentToSampleLeads: 2,
      repliesFromSampleLeads: 0,
    });
  });

  it("says when Instantly's figures come from the Instantly sandbox", async () => {
    await serviceDb().execute(sql`
      insert into public.integration_accounts (workspace_id, vendor, sandbox, status)
      values (${fx.a.id}, 'instantly', true, 'disconnected')`);
    expect((await getAnalytics(analyst(), RANGE)).sampleData.instantlySandbox).toBe(true);
  });

  it("finds the sample leads through their partial index", async () => {
    const plan = await withServiceTx(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute<{ "QUERY PLAN": string }>(sql`
        explain select count(*) from public.leads l
         where l.workspace_id = ${fx.a.id} and l.sample_data is not null
           and l.created_at >= '2026-06-01'::timestamptz and l.created_at < '2026-06-05'::timestamptz`);
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/leads_sample_created_idx/);
  });
});
