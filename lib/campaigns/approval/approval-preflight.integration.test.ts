import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveCampaignAction } from "@/app/(app)/approvals/actions";
import { serviceDb } from "@/db";
import { auditLog, campaignApprovals, campaigns, notifications } from "@/db/schema";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession } from "@/lib/auth/session";
import { campaignContentHash } from "@/lib/campaigns/content-hash";
import { submitCampaign } from "@/lib/campaigns/submit-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
} from "@/tests/fixtures/tenancy";
import { approveCampaign } from "./approve-campaign";
import { rejectCampaign } from "./reject-campaign";

/**
 * Approval runs pre-flight again (DESIGN.md §7.1): what was fine at submission may block by the
 * time an admin decides, and such a campaign is refused with the reasons, nothing recorded.
 */

let fx: TenancyFixture;
const db = () => serviceDb();
const rep = () => fx.a.members.sales_rep;
const admin = () => fx.a.members.admin;
const actor = () => ({ userId: admin().id, current: { workspaceId: fx.a.id, role: admin().role } });

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

/** Two leads that can be emailed, and a campaign for exactly them submitted through the submission service (pre-flight passes). */
async function submittedFor(): Promise<{ campaignId: string; identityId: string; leads: { id: string; email: string }[] }> {
  const tag = randomSuffix();
  const leads = [];
  for (const name of ["Inès", "Hugo"]) {
    const email = `${name.toLowerCase().replace("è", "e")}-${tag}@cafe.example`;
    leads.push({ id: await insertTestLead(fx.a, { firstName: name, email }), email });
  }
  const { campaignId, identityId } = await createTestCampaign(fx.a.id, rep(), { submit: false });
  await db().execute(sql`update public.campaigns set audience = ${JSON.stringify({ kind: "ids", ids: leads.map((l) => l.id) })}::jsonb
    where id = ${campaignId}`);
  await asUser(rep(), (tx) => submitCampaign(tx, { workspaceId: fx.a.id, actor: { userId: rep().id, role: rep().role }, campaignId }));
  return { campaignId, identityId, leads };
}

const hashOf = async (campaignId: string) => (await campaignContentHash(db(), campaignId))!;
const approveAsAdmin = async (campaignId: string) =>
  executeAction(
    approveCampaignAction.definition,
    await resolveSession(claimsFor(admin().id, admin().email, await startTestSession(db(), admin().id)), fx.a.id),
    { campaignId, reviewedHash: await hashOf(campaignId) },
  );

/** Nothing of an approval: still waiting, no decision, no audit entry, no notice to the author. */
async function expectUndecided(campaignId: string) {
  const [campaign] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
  expect(campaign).toMatchObject({
    status: "pending_approval",
    approvalId: null,
    approvedContentHash: null,
    approvedBy: null,
    approvedAt: null,
  });
  expect(await db().select().from(campaignApprovals).where(eq(campaignApprovals.campaignId, campaignId))).toEqual([]);
  expect(
    await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, campaignId), eq(auditLog.action, "campaign.approved"))),
  ).toEqual([]);
  expect(
    await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.subjectId, campaignId), eq(notifications.kind, "campaign_approved"))),
  ).toEqual([]);
}

describe("approval runs pre-flight again", () => {
  it("refuses a campaign none of whose leads can be emailed any more, with the reason, and records nothing", async () => {
    const { campaignId, leads } = await submittedFor();
    // Since submission: one lead unsubscribed, the other's address put on the suppression list.
    await db().execute(sql`update public.leads set status = 'unsubscribed' where id = ${leads[0]!.id}`);
    await db().execute(sql`insert into public.suppressions (workspace_id, kind, value, reason)
      values (${fx.a.id}, 'email', ${leads[1]!.email}, 'manual')`);

    const reason = "None of the 2 leads of this audience can be emailed (see the exclusions): choose another audience.";
    expect(await approveAsAdmin(campaignId)).toEqual({
      ok: false,
      code: "invalid_input",
      error: `This campaign cannot be approved yet. ${reason} Reject it so its author can fix it.`,
      fieldErrors: { campaign: [reason] },
    });
    await expectUndecided(campaignId);

    // The service refuses it the same way when called directly (a script's path).
    await expect(
      asUser(admin(), async (tx) => approveCampaign(tx, actor(), { campaignId, reviewedHash: await hashOf(campaignId) })),
    ).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { campaign: [reason] } });
    await expectUndecided(campaignId);

    // The way out the message names: the admin rejects it, and its author fixes it.
    await asUser(admin(), async (tx) =>
      rejectCampaign(tx, actor(), { campaignId, reviewedHash: await hashOf(campaignId), comment: "Its leads are all gone." }),
    );
    expect((await db().select().from(campaigns).where(eq(campaigns.id, campaignId)))[0]!.status).toBe("draft");
  });

  it("refuses a campaign whose only sending identity was archived since submission", async () => {
    const { campaignId, identityId } = await submittedFor();
    const [identity] = await db().execute<{ from_email: string }>(sql`
      update public.sending_identities set archived_at = now() where id = ${identityId} returning from_email`);

    const result = await approveAsAdmin(campaignId);
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { campaign: [`Zoë Martin <${identity!.from_email}> is archived: choose another sending identity.`] },
    });
    await expectUndecided(campaignId);
  });

  it("approves a campaign that still passes, even with some of its leads gone since submission", async () => {
    const { campaignId, leads } = await submittedFor();
    await db().execute(sql`update public.leads set deleted_at = now() where id = ${leads[0]!.id}`);

    expect(await approveAsAdmin(campaignId)).toMatchObject({ ok: true, data: { campaignId, status: "approved" } });
    const [campaign] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(campaign).toMatchObject({ status: "approved", approvedBy: admin().id, approvedContentHash: await hashOf(campaignId) });
  });
});
