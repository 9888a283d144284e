import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewCampaignEmailAction, sendCampaignTestEmailAction } from "@/app/(app)/campaigns/preview-actions";
import { serviceDb } from "@/db";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession, type Session } from "@/lib/auth/session";
import { TEST_UNSUBSCRIBE_TOKEN, verifyUnsubscribeToken } from "@/lib/campaigns/unsubscribe-token";
import { handleLocalResendRequest } from "@/lib/outbox/resend-endpoint";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { loadTemplateLeads } from "./load-template-leads";
import { previewCampaignEmail } from "./preview-campaign-email";

const PREFIX = "/api/local-resend";
let server: ServedHandler;
let fx: TenancyFixture;
const db = () => serviceDb();
let campaign: { campaignId: string; identityId: string; stepId: string };
let step2: string;
let ada: string;
let nameless: string;
let german: string;

beforeAll(async () => {
  server = await serveWebHandler((request) => handleLocalResendRequest(request, new URL(request.url).pathname.slice(PREFIX.length)));
  // Before the first env() call, which caches the environment.
  process.env.RESEND_BASE_URL = `${server.url}${PREFIX}`;
  fx = await createTenancyFixture(db());
  campaign = await createTestCampaign(fx.a.id, fx.a.members.sales_rep, { submit: false });
  const { campaignId } = campaign;
  await db().execute(sql`update public.campaign_step_variants set subject = 'Hi {{ first_name }}',
    body = ${'Hello {{ first_name }} at {{ company | default: "your company" }},\n\nSee https://acme.example/demo.'}
    where campaign_id = ${campaignId}`);
  await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body)
    values (${fx.a.id}, ${campaignId}, ${campaign.stepId}, 'B', 50, 'Quick question, {{ first_name | default: "there" }}', 'Variant B body.')`);
  const [s2] = await db().execute<{ id: string }>(sql`insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days)
    values (${fx.a.id}, ${campaignId}, 2, 3) returning id`);
  step2 = s2!.id;
  await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
    values (${fx.a.id}, ${campaignId}, ${step2}, 'A', 'Following up', 'Just checking in, {{ first_name | default: "friend" }}.')`);
  const [company] = await db().execute<{ id: string }>(
    sql`insert into public.companies (workspace_id, name) values (${fx.a.id}, 'Cafés & Co') returning id`,
  );
  ada = await insertTestLead(fx.a, {
    firstName: `<script>alert("x")</script>`,
    lastName: "Aaronson",
    email: "ada@lyon.example",
    companyId: company!.id,
    country: "FR",
  });
  nameless = await insertTestLead(fx.a, { firstName: null, lastName: "Zed", email: "zed@lyon.example", country: "FR" });
  german = await insertTestLead(fx.a, { firstName: "Greta", email: "greta@berlin.example", country: "DE" });
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
  await server?.close();
});

async function sessionOf(member: TenancyMember, workspaceId = fx.a.id): Promise<Session> {
  return resolveSession(claimsFor(member.id, member.email, await startTestSession(db(), member.id)), workspaceId);
}
const actorOf = (member: TenancyMember, workspaceId = fx.a.id) => ({ userId: member.id, current: { workspaceId, role: member.role } });
const outboxTo = (address: string) =>
  db().execute<{ from_address: string; subject: string; html: string | null; text_body: string; headers: Record<string, string> }>(
    sql`select from_address, subject, html, text_body, headers from local.outbox_messages where ${address} = any(to_addresses) order by created_at`,
  );

describe("previewCampaignEmail", () => {
  it("renders the first step's first variant for a lead of the audience exactly as sent, but with an unsubscribe link that unsubscribes nobody", async () => {
    const rep = fx.a.members.sales_rep;
    const preview = await asUser(rep, (tx) => previewCampaignEmail(tx, actorOf(rep), { campaignId: campaign.campaignId, leadId: ada }));
    expect(preview.missing).toBeNull();
    expect(preview.steps.map((s) => [s.position, s.variants])).toEqual([
      [1, ["A", "B"]],
      [2, ["A"]],
    ]);
    expect(preview.selection).toEqual({ stepId: campaign.stepId, variantLabel: "A", identityId: campaign.identityId, leadId: ada });
    // The picker holds the audience's leads (FR), never the German lead.
    expect(preview.leads.map((l) => l.id).sort()).toEqual([ada, nameless].sort());
    expect(preview.result?.ok).toBe(true);
    if (!preview.result?.ok) return;
    const email = preview.result.email;
    expect(email.subject).toBe(`Hi <script>alert("x")</script>`);
    expect(email.from).toMatch(/^"Zoë Martin" <zoe-.+@acme\.example>$/);
    expect(email.html).toContain("Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; at Cafés &amp; Co,");
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain('<a href="https://acme.example/demo">');
    expect(email.text).toContain(`Hello <script>alert("x")</script> at Cafés & Co,`);
    expect(email.text).toContain("1 Rue de la Paix, 75002 Paris");
    const link = /^<(https?:[^>]+)>, <mailto:[^>]+\?subject=unsubscribe>$/.exec(email.headers["List-Unsubscribe"]!)![1]!;
    expect(email.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(email.text).toContain(`Unsubscribe: ${link}`);
    // Not the lead's own token: whoever may preview must not be able to unsubscribe the lead, or
    // lift an unsubscribe with the page's Undo (only admins may lift one, from the suppression list).
    const token = new URL(link).pathname.replace("/unsubscribe/", "");
    expect(token).toBe(TEST_UNSUBSCRIBE_TOKEN);
    expect(verifyUnsubscribeToken(token)).toBeNull();
  });

  it("shows any step and variant, and blocks a lead whose variable is empty without a fallback", async () => {
    const rep = fx.a.members.sales_rep;
    const input = { campaignId: campaign.campaignId, leadId: nameless };
    const a = await asUser(rep, (tx) => previewCampaignEmail(tx, actorOf(rep), input));
    expect(a.result).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({ part: "subject", variable: "first_name", line: 1, column: 7 }),
        expect.objectContaining({ part: "body", variable: "first_name", line: 1, column: 10 }),
      ],
    });
    const b = await asUser(rep, (tx) => previewCampaignEmail(tx, actorOf(rep), { ...input, variantLabel: "B" }));
    expect(b.result?.ok && b.result.email.subject).toBe("Quick question, there");
    const second = await asUser(rep, (tx) => previewCampaignEmail(tx, actorOf(rep), { ...input, stepId: step2 }));
    expect(second.result?.ok && second.result.email.text).toMatch(/^Just checking in, friend\./);
  });

  it("refuses a lead outside the audience or of another workspace, and narrows the picker by search", async () => {
    const rep = fx.a.members.sales_rep;
    const outside = await asUser(rep, (tx) => previewCampaignEmail(tx, actorOf(rep), { campaignId: campaign.campaignId, leadId: german }));
    expect(outside).toMatchObject({ missing: "That lead is not in this campaign's audience.", result: null });
    const otherLead = await insertTestLead(fx.b, { firstName: "Bea", email: "bea@globex.example", country: "FR" });
    const foreign = await asUser(rep, (tx) =>
      previewCampaignEmail(tx, actorOf(rep), { campaignId: campaign.campaignId, leadId: otherLead }),
    );
    expect(foreign).toMatchObject({ missing: "That lead is not in this campaign's audience.", result: null });
    const searched = await asUser(rep, (tx) => previewCampaignEmail(tx, actorOf(rep), { campaignId: campaign.campaignId, search: "ZÉD" }));
    expect(searched.leads.map((l) => l.id)).toEqual([nameless]);
  });

  it("resolves 'me' in the audience as the author, whoever previews it", async () => {
    const rep = fx.a.members.sales_rep;
    const mine = await createTestCampaign(fx.a.id, rep, { name: "Mine", submit: false });
    await db().execute(sql`update public.campaigns set audience = '{"kind":"filter","query":"owner=me"}' where id = ${mine.campaignId}`);
    const owned = await insertTestLead(fx.a, { firstName: "Olga", email: "olga@lyon.example", ownerId: rep.id });
    const admin = fx.a.members.admin;
    const preview = await asUser(admin, (tx) => previewCampaignEmail(tx, actorOf(admin), { campaignId: mine.campaignId }));
    expect(preview.leads.map((l) => l.id)).toEqual([owned]);
    expect(preview.result?.ok && preview.result.email.subject).toBe("Bonjour Olga");
  });

  it("is not found for another workspace's member, refused to a viewer, and answers through its action", async () => {
    const other = fx.b.members.admin;
    await expect(
      asUser(other, (tx) => previewCampaignEmail(tx, actorOf(other, fx.b.id), { campaignId: campaign.campaignId })),
    ).rejects.toMatchObject({ code: "not_found" });
    const viewer = fx.a.members.viewer;
    await expect(
      asUser(viewer, (tx) => previewCampaignEmail(tx, actorOf(viewer), { campaignId: campaign.campaignId })),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    const viaAction = await executeAction(previewCampaignEmailAction.definition, await sessionOf(fx.a.members.admin), {
      campaignId: campaign.campaignId,
      leadId: ada,
    });
    expect(viaAction).toMatchObject({ ok: true, data: { result: { ok: true } } });
  });
});

describe("send a test to me", () => {
  it("sends the chosen email to the member's own address from the sending identity, marked [Test], through the outbox", async () => {
    const rep = fx.a.members.sales_rep;
    const result = await executeAction(sendCampaignTestEmailAction.definition, await sessionOf(rep), {
      campaignId: campaign.campaignId,
      leadId: ada,
      variantLabel: "B",
    });
    expect(result).toEqual({
      ok: true,
      data: { to: rep.email, subject: `[Test] Quick question, <script>alert("x")</script>`, leadName: expect.any(String) },
    });
    const [sent, ...more] = await outboxTo(rep.email);
    expect(more).toEqual([]);
    expect(sent!.from_address).toMatch(/^"Zoë Martin" <zoe-.+@acme\.example>$/);
    expect(sent!.subject).toBe(`[Test] Quick question, <script>alert("x")</script>`);
    expect(sent!.text_body).toContain("Variant B body.");
    expect(sent!.html).toContain("Variant B body.");
    // The test's unsubscribe link unsubscribes nobody: it is not the lead's token.
    expect(sent!.headers["List-Unsubscribe"]).toMatch(/\/unsubscribe\/test>, <mailto:/);
    expect(sent!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(await outboxTo("ada@lyon.example")).toEqual([]);
  });

  it("refuses a lead the email is blocked for, with the reason, and sends nothing", async () => {
    const manager = fx.a.members.manager;
    const result = await executeAction(sendCampaignTestEmailAction.definition, await sessionOf(manager), {
      campaignId: campaign.campaignId,
      leadId: nameless,
    });
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_input",
      error: expect.stringMatching(
        /^This email is blocked for Zed: first_name is empty for this lead and has no fallback.*\(subject, line 1, column 7\)$/,
      ),
    });
    expect(await outboxTo(manager.email)).toEqual([]);
  });

  it("sends text only for a plain-text-only campaign", async () => {
    const admin = fx.a.members.admin;
    await db().execute(sql`update public.campaigns set plain_text_only = true where id = ${campaign.campaignId}`);
    try {
      const result = await executeAction(sendCampaignTestEmailAction.definition, await sessionOf(admin), {
        campaignId: campaign.campaignId,
        leadId: ada,
        stepId: step2,
      });
      expect(result.ok).toBe(true);
      const [sent] = await outboxTo(admin.email);
      expect(sent).toMatchObject({ subject: "[Test] Following up", html: null });
      expect(sent!.text_body).toMatch(/^Just checking in, <script>/);
    } finally {
      await db().execute(sql`update public.campaigns set plain_text_only = false where id = ${campaign.campaignId}`);
    }
  });
});

describe("loadTemplateLeads", () => {
  it("gives the values of the workspace's leads in the order asked, an empty field left out", async () => {
    const foreign = await insertTestLead(fx.b, { firstName: "Bea", email: "bea2@globex.example" });
    const rows = await asUser(fx.a.members.analyst, (tx) =>
      loadTemplateLeads(tx, { workspaceId: fx.a.id, leadIds: [nameless, foreign, ada] }),
    );
    expect(rows.map((r) => r.id)).toEqual([nameless, ada]);
    expect(rows[0]).toMatchObject({
      name: "Zed",
      values: { last_name: "Zed", full_name: "Zed", email: "zed@lyon.example", country: "FR", custom: {} },
    });
    expect(rows[0]!.values).not.toHaveProperty("first_name");
    expect(rows[1]!.values).toMatchObject({ first_name: `<script>alert("x")</script>`, company: "Cafés & Co" });
  });
});
