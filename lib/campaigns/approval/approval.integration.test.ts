import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveCampaignAction, rejectCampaignAction } from "@/app/(app)/approvals/actions";
import { serviceDb } from "@/db";
import { auditLog, campaignApprovals, campaigns, notifications } from "@/db/schema";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession, type Session } from "@/lib/auth/session";
import { campaignContent } from "@/lib/campaigns/content-hash";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTestCampaign, submitTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  removeTenancyFixture,
  sqlState,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { approveCampaign } from "./approve-campaign";
import { findChangesSinceApproval } from "./changes-since-approval";
import { getCampaignReview } from "./get-campaign-review";
import { findLastRejection } from "./last-rejection";
import { listPendingApprovals } from "./list-pending-approvals";
import { renderReviewSamples } from "./review-samples";
import { CAMPAIGN_CHANGED } from "./lock-for-decision";
import { rejectCampaign } from "./reject-campaign";

let fx: TenancyFixture;
const db = () => serviceDb();
const rep = () => fx.a.members.sales_rep;
const admin = () => fx.a.members.admin;

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  // The fixture campaign's audience is country=FR: approval runs pre-flight, which needs a lead it may email.
  await insertTestLead(fx.a, { email: `marie-${fx.a.slug}@cafe.example`, country: "FR", firstName: "Marie" });
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

async function sessionOf(member: TenancyMember, workspaceId: string): Promise<Session> {
  return resolveSession(claimsFor(member.id, member.email, await startTestSession(db(), member.id)), workspaceId);
}
const actorOf = (member: TenancyMember, workspaceId = fx.a.id) => ({ userId: member.id, current: { workspaceId, role: member.role } });

async function campaignRow(id: string) {
  const [row] = await db().select().from(campaigns).where(eq(campaigns.id, id));
  return row!;
}
async function notificationsOf(id: string) {
  return db().select().from(notifications).where(eq(notifications.subjectId, id));
}
async function decisionsOf(id: string) {
  return db().select().from(campaignApprovals).where(eq(campaignApprovals.campaignId, id));
}
/** The hash the review screen shows the admin. */
async function reviewedHash(id: string, member: TenancyMember = admin()): Promise<string> {
  const review = await asUser(member, (tx) => getCampaignReview(tx, { workspaceId: fx.a.id, campaignId: id }));
  return review!.hash;
}

describe("approving", () => {
  it("records who approved, when, and the exact content with its hash, and audits it", async () => {
    const { campaignId } = await createTestCampaign(fx.a.id, rep());
    const hash = await reviewedHash(campaignId);
    const before = Date.now();
    const result = await executeAction(approveCampaignAction.definition, await sessionOf(admin(), fx.a.id), {
      campaignId,
      reviewedHash: hash,
    });
    expect(result).toMatchObject({ ok: true, data: { campaignId, status: "approved" } });

    const campaign = await campaignRow(campaignId);
    const [approval] = await decisionsOf(campaignId);
    const current = await campaignContent(db(), campaignId);
    expect(approval).toMatchObject({ decision: "approved", decidedBy: admin().id, contentHash: hash, comment: null });
    expect(approval!.content).toEqual(current!.content);
    expect(current!.hash).toBe(hash);
    expect(approval!.decidedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(campaign).toMatchObject({ status: "approved", approvalId: approval!.id, approvedContentHash: hash, approvedBy: admin().id });
    expect(campaign.approvedAt?.getTime()).toBe(approval!.decidedAt.getTime());
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, campaignId), eq(auditLog.action, "campaign.approved")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin().id,
      workspaceId: fx.a.id,
      metadata: { contentHash: hash, approvalId: approval!.id },
    });
  });

  it("is refused to a sales rep, even through a forged action call or a forged role, and nothing is recorded", async () => {
    const { campaignId } = await createTestCampaign(fx.a.id, rep());
    const hash = await reviewedHash(campaignId, rep());
    // The action a rep's browser could post by hand.
    const forged = await executeAction(approveCampaignAction.definition, await sessionOf(rep(), fx.a.id), {
      campaignId,
      reviewedHash: hash,
    });
    expect(forged).toMatchObject({ ok: false, code: "forbidden" });
    // The service checks the role itself…
    await expect(asUser(rep(), (tx) => approveCampaign(tx, actorOf(rep()), { campaignId, reviewedHash: hash }))).rejects.toMatchObject({
      code: "forbidden",
      message: "Only an admin can approve or reject a campaign.",
    });
    // …and with a lie about the role, the database refuses the rep's transaction.
    const lie = { userId: rep().id, current: { workspaceId: fx.a.id, role: "admin" as const } };
    const refused = await asUser(rep(), (tx) => approveCampaign(tx, lie, { campaignId, reviewedHash: hash })).catch((e: unknown) => e);
    expect(sqlState(refused)).toBe("42501");
    expect((await campaignRow(campaignId)).status).toBe("pending_approval");
    expect(await decisionsOf(campaignId)).toEqual([]);
    expect(await notificationsOf(campaignId)).toEqual([]);
  });

  it("is neither visible nor possible to another workspace's admin", async () => {
    const { campaignId } = await createTestCampaign(fx.a.id, rep());
    const hash = await reviewedHash(campaignId);
    const other = fx.b.members.admin;
    expect(await asUser(other, (tx) => listPendingApprovals(tx, { workspaceId: fx.b.id }))).toEqual([]);
    // Asking for A's campaign in B, or naming A as the workspace outright: RLS shows nothing.
    expect(await asUser(other, (tx) => getCampaignReview(tx, { workspaceId: fx.b.id, campaignId }))).toBeNull();
    expect(await asUser(other, (tx) => getCampaignReview(tx, { workspaceId: fx.a.id, campaignId }))).toBeNull();
    const viaAction = await executeAction(approveCampaignAction.definition, await sessionOf(other, fx.b.id), {
      campaignId,
      reviewedHash: hash,
    });
    expect(viaAction).toMatchObject({ ok: false, code: "not_found" });
    await expect(
      asUser(other, (tx) => approveCampaign(tx, actorOf(other, fx.a.id), { campaignId, reviewedHash: hash })),
    ).rejects.toMatchObject({ code: "not_found" });
    const reject = await executeAction(rejectCampaignAction.definition, await sessionOf(other, fx.b.id), {
      campaignId,
      reviewedHash: hash,
      comment: "Not yours to judge",
    });
    expect(reject).toMatchObject({ ok: false, code: "not_found" });
    expect((await campaignRow(campaignId)).status).toBe("pending_approval");
    expect(await decisionsOf(campaignId)).toEqual([]);
  });

  it("is refused when the campaign changed since the review opened, even once submitted again", async () => {
    const { campaignId, stepId } = await createTestCampaign(fx.a.id, rep());
    const hash = await reviewedHash(campaignId);
    const session = await sessionOf(admin(), fx.a.id);
    await asUser(rep(), (tx) =>
      tx.execute(sql`update public.campaign_step_variants set subject = 'Salut {{ first_name }}' where step_id = ${stepId}`),
    );
    expect((await campaignRow(campaignId)).status).toBe("draft");
    const stale = await executeAction(approveCampaignAction.definition, session, { campaignId, reviewedHash: hash });
    expect(stale).toEqual({ ok: false, code: "conflict", error: CAMPAIGN_CHANGED });

    await submitTestCampaign(rep(), campaignId);
    const again = await executeAction(approveCampaignAction.definition, session, { campaignId, reviewedHash: hash });
    expect(again).toEqual({ ok: false, code: "conflict", error: CAMPAIGN_CHANGED });
    const rejectStale = await executeAction(rejectCampaignAction.definition, session, {
      campaignId,
      reviewedHash: hash,
      comment: "About the old subject",
    });
    expect(rejectStale).toEqual({ ok: false, code: "conflict", error: CAMPAIGN_CHANGED });
    expect(await decisionsOf(campaignId)).toEqual([]);

    const fresh = await executeAction(approveCampaignAction.definition, session, {
      campaignId,
      reviewedHash: await reviewedHash(campaignId),
    });
    expect(fresh).toMatchObject({ ok: true, data: { status: "approved" } });
  });

  it("is refused for a campaign that is not waiting for approval, saying what it is", async () => {
    const { campaignId } = await createTestCampaign(fx.a.id, rep(), { submit: false });
    await expect(
      asUser(admin(), async (tx) => approveCampaign(tx, actorOf(admin()), { campaignId, reviewedHash: await reviewedHash(campaignId) })),
    ).rejects.toMatchObject({ code: "conflict", message: "This campaign is no longer waiting for approval: it is draft now." });
  });

  it("lists a workspace's pending campaigns for review, oldest submission first", async () => {
    const first = await createTestCampaign(fx.a.id, rep(), { name: "First in line" });
    const second = await createTestCampaign(fx.a.id, rep(), { name: "Second in line" });
    const listed = await asUser(admin(), (tx) => listPendingApprovals(tx, { workspaceId: fx.a.id }));
    const ids = listed.map((c) => c.id);
    expect(ids.indexOf(first.campaignId)).toBeLessThan(ids.indexOf(second.campaignId));
    expect(listed.find((c) => c.id === first.campaignId)).toMatchObject({
      name: "First in line",
      ownerName: rep().fullName,
      submittedByName: rep().fullName,
      stepCount: 1,
      variantCount: 1,
      identityCount: 1,
    });
  });
});

describe("rejecting", () => {
  it("needs a comment, in the action and in the service", async () => {
    const { campaignId } = await createTestCampaign(fx.a.id, rep());
    const hash = await reviewedHash(campaignId);
    const blank = await executeAction(rejectCampaignAction.definition, await sessionOf(admin(), fx.a.id), {
      campaignId,
      reviewedHash: hash,
      comment: "   ",
    });
    expect(blank).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { comment: ["Say what needs to change: the author reads this comment."] },
    });
    await expect(
      asUser(admin(), (tx) => rejectCampaign(tx, actorOf(admin()), { campaignId, reviewedHash: hash, comment: "" })),
    ).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { comment: ["Say what needs to change: the author reads this comment."] },
    });
    expect((await campaignRow(campaignId)).status).toBe("pending_approval");
    expect(await decisionsOf(campaignId)).toEqual([]);
  });

  it("returns the campaign to draft with the comment recorded, and audits it", async () => {
    const { campaignId } = await createTestCampaign(fx.a.id, rep());
    const hash = await reviewedHash(campaignId);
    const result = await executeAction(rejectCampaignAction.definition, await sessionOf(admin(), fx.a.id), {
      campaignId,
      reviewedHash: hash,
      comment: "  Use a fallback for the first name.  ",
    });
    expect(result).toMatchObject({ ok: true, data: { status: "draft" } });
    const [rejection] = await decisionsOf(campaignId);
    expect(rejection).toMatchObject({
      decision: "rejected",
      comment: "Use a fallback for the first name.",
      decidedBy: admin().id,
      contentHash: hash,
    });
    expect(await campaignRow(campaignId)).toMatchObject({ status: "draft", approvalId: null, approvedContentHash: null });
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, campaignId), eq(auditLog.action, "campaign.rejected")));
    expect(audit).toMatchObject({ actorId: admin().id, metadata: { comment: "Use a fallback for the first name." } });
    expect(await notificationsOf(campaignId)).toMatchObject([
      {
        userId: rep().id,
        kind: "campaign_rejected",
        title: '"Cafés in Lyon" needs changes',
        body: "The admin's comment: Use a fallback for the first name.",
      },
    ]);
    // The author reads the comment on the campaign until they submit it again.
    const lastRejection = () => asUser(rep(), (tx) => findLastRejection(tx, { workspaceId: fx.a.id, campaignId }));
    expect(await lastRejection()).toMatchObject({ comment: "Use a fallback for the first name.", decidedByName: admin().fullName });
    await submitTestCampaign(rep(), campaignId);
    expect(await lastRejection()).toBeNull();
    const review = await asUser(rep(), (tx) => getCampaignReview(tx, { workspaceId: fx.a.id, campaignId }));
    expect(review?.decisions).toMatchObject([
      { decision: "rejected", comment: "Use a fallback for the first name.", decidedByName: admin().fullName },
    ]);
  });
});

describe("changes since approval", () => {
  it("are none right after approval, and named once a step is edited (which returns the campaign to draft)", async () => {
    const { campaignId, stepId } = await createTestCampaign(fx.a.id, rep());
    const read = () => asUser(rep(), (tx) => findChangesSinceApproval(tx, { workspaceId: fx.a.id, campaignId }));
    expect(await read()).toBeNull();
    await asUser(admin(), async (tx) =>
      approveCampaign(tx, actorOf(admin()), { campaignId, reviewedHash: await reviewedHash(campaignId) }),
    );
    expect(await read()).toMatchObject({ approvedByName: admin().fullName, changes: [] });

    await asUser(rep(), (tx) => tx.execute(sql`update public.campaign_step_variants set body = 'Autre chose.' where step_id = ${stepId}`));
    await asUser(rep(), (tx) => tx.execute(sql`update public.campaigns set stop_on_reply = false where id = ${campaignId}`));
    expect((await campaignRow(campaignId)).status).toBe("draft");
    expect((await read())?.changes).toEqual(["Stop on reply turned off", "Step 1 body changed"]);
    // Invisible from another workspace.
    expect(await asUser(fx.b.members.admin, (tx) => findChangesSinceApproval(tx, { workspaceId: fx.a.id, campaignId }))).toBeNull();
  });
});

describe("rendered samples", () => {
  it("render every step for eligible leads of the audience only, as sent, and show what blocks a lead", async () => {
    const named = await insertTestLead(fx.a, { firstName: "Inès", title: "<b>Chef</b> & patron", email: "ines@cafe.example" });
    const nameless = await insertTestLead(fx.a, { firstName: null, email: "contact@boulangerie.example" });
    const noEmail = await insertTestLead(fx.a, { firstName: "Sans", email: null });
    const { campaignId, stepId } = await createTestCampaign(fx.a.id, rep(), { submit: false });
    await db().execute(sql`update public.campaigns set audience = ${JSON.stringify({ kind: "ids", ids: [named, nameless, noEmail] })}::jsonb
      where id = ${campaignId}`);
    await db()
      .execute(sql`update public.campaign_step_variants set subject = 'Bonjour {{ first_name }}', body = 'Pour le {{ title | default: "patron" }}.'
      where step_id = ${stepId}`);
    const samples = await asUser(admin(), async (tx) => {
      const review = (await getCampaignReview(tx, { workspaceId: fx.a.id, campaignId }))!;
      return renderReviewSamples(tx, {
        workspaceId: fx.a.id,
        campaignId,
        authorId: rep().id,
        audience: review.campaign.audience,
        content: review.content,
        size: 5,
      });
    });
    expect(samples.map((s) => s.lead.id).sort()).toEqual([named, nameless].sort());
    const ines = samples.find((s) => s.lead.id === named)!;
    expect(ines.emails).toHaveLength(1);
    const email = ines.emails[0]!;
    expect(email).toMatchObject({ position: 1, variantLabel: "A", result: { ok: true } });
    if (!email.result.ok) throw new Error("unreachable");
    expect(email.result.email.subject).toBe("Bonjour Inès");
    expect(email.result.email.html).toContain("&lt;b&gt;Chef&lt;/b&gt; &amp; patron");
    expect(email.result.email.text).toContain("Pour le <b>Chef</b> & patron.");
    expect(email.result.email.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const blocked = samples.find((s) => s.lead.id === nameless)!.emails[0]!.result;
    expect(blocked.ok).toBe(false);
    if (blocked.ok) throw new Error("unreachable");
    expect(blocked.problems.map((p) => p.variable)).toContain("first_name");
  });
});
