import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import { claimsFor, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { getDashboard } from "./get-dashboard";

let fx: TenancyFixture;
let pendingId: string;
let pausedId: string;
let repLead: string;

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

beforeAll(async () => {
  fx = await createTenancyFixture();
  pendingId = (await createTestCampaign(fx.a.id, fx.a.members.sales_rep, { name: "Waiting for a yes" })).campaignId;
  pausedId = (await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, [])).campaignId;
  await serviceDb().execute(sql`update public.campaigns set status = 'paused', paused_at = now(), paused_by = null,
    pause_reason = 'Hard bounces passed 5 %.' where id = ${pausedId}`);
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
    expect(d.autoPaused).toEqual([
      { id: pausedId, name: expect.any(String), reason: "Hard bounces passed 5 %.", pausedAt: expect.any(String) },
    ]);
    expect(d.headline).toMatchObject({ leadsOwned: 1 });
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
    expect(analyst).toMatchObject({ newReplies: null, imports: null, headline: { leadsOwned: null } });
    expect(analyst.headline!.sent).toEqual(expect.any(Number));
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
