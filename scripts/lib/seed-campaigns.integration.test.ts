import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, campaignApprovals, campaigns, jobEvents, notifications, savedViews } from "@/db/schema";
import { campaignContentHash } from "@/lib/campaigns/content-hash";
import { DEFAULT_LEAD_LIST_STATE, leadListSearchParams } from "@/lib/leads/list-state";
import { DEMO_VIEWS } from "@/lib/seed/demo-data";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { DEMO_CAMPAIGNS, requestDemoCampaignActivity, seedDemoCampaigns } from "./seed-campaigns";
import { seedDemoIdentities } from "./seed-identities";

let fx: TenancyFixture;
const db = () => serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  const rep = fx.a.members.sales_rep;
  const admin = fx.a.members.admin;
  // The demo's saved views ("My open leads" is the rep's, "Hot pipeline" the admin's, shared) and leads in both.
  await db()
    .insert(savedViews)
    .values(
      DEMO_VIEWS.map((view) => ({
        workspaceId: fx.a.id,
        ownerId: view.owner.startsWith("rep@") ? rep.id : admin.id,
        tableName: "leads" as const,
        name: view.name,
        shared: view.shared,
        state: Object.fromEntries(leadListSearchParams({ ...DEFAULT_LEAD_LIST_STATE, ...view.state })),
      })),
    );
  for (const status of ["new", "contacted", "interested", "meeting"] as const) {
    await insertTestLead(fx.a, { status, ownerId: rep.id, firstName: "Léa", email: `lea-${status}-${randomSuffix()}@example.test` });
  }
  await seedDemoIdentities(db(), { workspaceSlug: fx.a.slug, admin: admin.email });
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

describe("the demo campaigns", () => {
  it("are one running, one pending approval and one draft, made through the services, once", async () => {
    const people = { workspaceSlug: fx.a.slug, author: fx.a.members.sales_rep.email, approver: fx.a.members.admin.email };
    const seeded = await seedDemoCampaigns(db(), people);
    expect(Object.keys(seeded)).toEqual(DEMO_CAMPAIGNS.map((c) => c.name));
    const ids = Object.values(seeded);
    const rows = await db().select().from(campaigns).where(inArray(campaigns.id, ids));
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const demo of DEMO_CAMPAIGNS) {
      expect(byName.get(demo.name), demo.name).toMatchObject({ status: demo.stage, ownerId: fx.a.members.sales_rep.id });
    }

    const approved = byName.get(DEMO_CAMPAIGNS.find((c) => c.stage === "running")!.name)!;
    expect(approved.launchedAt).not.toBeNull();
    const launches = await db()
      .select({ data: jobEvents.data })
      .from(jobEvents)
      .where(and(eq(jobEvents.workspaceId, fx.a.id), eq(jobEvents.name, "campaigns/launch.requested")));
    expect(launches.map((e) => e.data)).toEqual([expect.objectContaining({ campaignId: approved.id, requestedBy: fx.a.members.admin.id })]);
    const [approval] = await db().select().from(campaignApprovals).where(eq(campaignApprovals.campaignId, approved.id));
    expect(approval).toMatchObject({ decision: "approved", decidedBy: fx.a.members.admin.id, contentHash: approved.approvedContentHash });
    expect(approved.approvedContentHash).toBe(await campaignContentHash(db(), approved.id));
    expect(approved.audience).toMatchObject({ kind: "view", viewName: "My open leads" });

    const pending = byName.get(DEMO_CAMPAIGNS.find((c) => c.stage === "pending_approval")!.name)!;
    const waiting = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.subjectId, pending.id), eq(notifications.kind, "campaign_submitted")));
    expect(waiting.map((n) => n.userId)).toEqual([fx.a.members.admin.id]);
    const audited = await db().select({ action: auditLog.action }).from(auditLog).where(inArray(auditLog.targetId, ids));
    expect(audited.map((a) => a.action).sort()).toEqual(
      [
        "campaign.approved",
        "campaign.created",
        "campaign.created",
        "campaign.created",
        "campaign.launched",
        "campaign.submitted",
        "campaign.submitted",
      ].sort(),
    );

    // A forced re-seed finds them and makes nothing new.
    expect(await seedDemoCampaigns(db(), people)).toEqual(seeded);
    expect(await db().select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.workspaceId, fx.a.id))).toHaveLength(3);
  });

  it("asks, once, for the running campaign's first readers to be played once it has sent", async () => {
    const people = { workspaceSlug: fx.a.slug, author: fx.a.members.sales_rep.email, approver: fx.a.members.admin.email };
    const seeded = await seedDemoCampaigns(db(), people);
    const running = seeded[DEMO_CAMPAIGNS.find((c) => c.stage === "running")!.name]!;
    await requestDemoCampaignActivity(db(), seeded);
    await requestDemoCampaignActivity(db(), seeded);
    const requested = await db()
      .select({ data: jobEvents.data, key: jobEvents.idempotencyKey })
      .from(jobEvents)
      .where(and(eq(jobEvents.workspaceId, fx.a.id), eq(jobEvents.name, "demo/campaign-activity.requested")));
    expect(requested).toEqual([{ data: { workspaceId: fx.a.id, campaignId: running }, key: `seed-demo-activity-${running}` }]);
  });
});
