import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitCampaignAction } from "@/app/(app)/campaigns/submit-actions";
import { serviceDb } from "@/db";
import { auditLog, campaigns, notifications } from "@/db/schema";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession, type Session } from "@/lib/auth/session";
import { campaignContentHash } from "@/lib/campaigns/content-hash";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { submitCampaign } from "./submit-campaign";

let fx: TenancyFixture;
const db = () => serviceDb();
const rep = () => fx.a.members.sales_rep;

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  // The fixture campaign's audience is country=FR.
  await insertTestLead(fx.a, { email: `marie-${fx.a.slug}@cafe.example`, country: "FR", firstName: "Marie" });
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

async function sessionOf(member: TenancyMember): Promise<Session> {
  return resolveSession(claimsFor(member.id, member.email, await startTestSession(db(), member.id)), fx.a.id);
}
const submitAs = async (member: TenancyMember, campaignId: string) =>
  executeAction(submitCampaignAction.definition, await sessionOf(member), { campaignId });
const draft = () => createTestCampaign(fx.a.id, rep(), { submit: false });
const statusOf = async (id: string) => (await db().select({ s: campaigns.status }).from(campaigns).where(eq(campaigns.id, id)))[0]?.s;

describe("submitCampaign", () => {
  it("sets a complete draft pending approval with the submitted hash, audits it and notifies the admins", async () => {
    const { campaignId } = await draft();
    const hash = await campaignContentHash(db(), campaignId);
    const result = await submitAs(rep(), campaignId);
    expect(result).toEqual({ ok: true, data: { campaignId, contentHash: hash, warnings: 0 } });
    const [row] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(row).toMatchObject({ status: "pending_approval", submittedContentHash: hash, submittedBy: rep().id });
    expect(row!.submittedAt).toBeInstanceOf(Date);

    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, campaignId), eq(auditLog.action, "campaign.submitted")));
    expect(audit).toEqual([
      expect.objectContaining({ actorId: rep().id, metadata: expect.objectContaining({ contentHash: hash, eligibleLeads: 1 }) }),
    ]);

    const told = await db().select().from(notifications).where(eq(notifications.subjectId, campaignId));
    expect(told.map((n) => n.userId)).toEqual([fx.a.members.admin.id]);
    expect(told[0]).toMatchObject({ kind: "campaign_submitted", actorId: rep().id, link: `/approvals/${campaignId}` });
    expect(told[0]!.title).toMatch(/Cafés in Lyon.*waiting for your approval/);
  });

  it("refuses a campaign without steps, audience or identity, saying why, and leaves it a draft", async () => {
    const { campaignId } = await draft();
    await db().execute(sql`delete from public.campaign_steps where campaign_id = ${campaignId}`);
    await db().execute(sql`delete from public.campaign_identities where campaign_id = ${campaignId}`);
    await db().execute(sql`update public.campaigns set audience = null where id = ${campaignId}`);
    const result = await submitAs(rep(), campaignId);
    expect(result).toMatchObject({ ok: false, code: "invalid_input" });
    const error = result.ok ? "" : result.error;
    expect(error).toMatch(/^This campaign cannot be submitted yet\. /);
    expect(error).toMatch(/Add at least one step/);
    expect(error).toMatch(/Choose who receives it/);
    expect(error).toMatch(/Choose at least one sending identity/);
    expect(await statusOf(campaignId)).toBe("draft");
    expect(await db().select().from(notifications).where(eq(notifications.subjectId, campaignId))).toEqual([]);
  });

  it("refuses each missing piece on its own", async () => {
    const cases: [string, (id: string) => Promise<unknown>, RegExp][] = [
      ["steps", (id) => db().execute(sql`delete from public.campaign_steps where campaign_id = ${id}`), /Add at least one step/],
      ["audience", (id) => db().execute(sql`update public.campaigns set audience = null where id = ${id}`), /Choose who receives it/],
      ["identity", (id) => db().execute(sql`delete from public.campaign_identities where campaign_id = ${id}`), /sending identity/],
      [
        "postal address",
        (id) =>
          db().execute(sql`update public.sending_identities set postal_address = null
            where id in (select identity_id from public.campaign_identities where campaign_id = ${id})`),
        /has no postal address/,
      ],
    ];
    for (const [what, remove, message] of cases) {
      const { campaignId } = await draft();
      await remove(campaignId);
      const result = await asUser(rep(), (tx) =>
        submitCampaign(tx, { workspaceId: fx.a.id, actor: { userId: rep().id, role: "sales_rep" }, campaignId }),
      ).catch((e: Error) => e.message);
      expect(result, what).toMatch(message);
      expect(await statusOf(campaignId), what).toBe("draft");
    }
  });

  it("refuses viewers and analysts, in the service as in the action", async () => {
    const { campaignId } = await draft();
    for (const member of [fx.a.members.viewer, fx.a.members.analyst]) {
      expect(await submitAs(member, campaignId)).toMatchObject({ ok: false, code: "forbidden" });
      await expect(
        asUser(member, (tx) => submitCampaign(tx, { workspaceId: fx.a.id, actor: { userId: member.id, role: member.role }, campaignId })),
      ).rejects.toThrow(/Your role cannot submit campaigns/);
    }
    expect(await statusOf(campaignId)).toBe("draft");
  });

  it("refuses a rep submitting another rep's campaign, and a second submission", async () => {
    const { campaignId } = await createTestCampaign(fx.a.id, fx.a.members.manager, { submit: false });
    expect(await submitAs(rep(), campaignId)).toMatchObject({
      ok: false,
      code: "forbidden",
      error: expect.stringMatching(/only campaigns you own/),
    });
    expect(await submitAs(fx.a.members.manager, campaignId)).toMatchObject({ ok: true });
    expect(await submitAs(fx.a.members.manager, campaignId)).toMatchObject({
      ok: false,
      code: "conflict",
      error: "This campaign is already waiting for approval.",
    });
  });

  it("does not find another workspace's campaign", async () => {
    const { campaignId } = await createTestCampaign(fx.b.id, fx.b.members.sales_rep, { submit: false });
    expect(await submitAs(fx.a.members.admin, campaignId)).toMatchObject({ ok: false, code: "not_found" });
    expect(await statusOf(campaignId)).toBe("draft");
  });
});
