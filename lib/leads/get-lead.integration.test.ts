import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { companies, leadActivities } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { recordActivities } from "./activities";
import { getLeadDetail, listLeadTimeline } from "./get-lead";

let fx: TenancyFixture;
let leadId: string;
let companyId: string;

beforeAll(async () => {
  fx = await createTenancyFixture();
  const rep = fx.a.members.sales_rep;
  const [company] = await serviceDb()
    .insert(companies)
    .values({ workspaceId: fx.a.id, name: "Acme Robotics", domain: "acme-robotics.test", industry: "Robotics", employeeCount: 250 })
    .returning({ id: companies.id });
  companyId = company!.id;
  leadId = await insertTestLead(fx.a, {
    firstName: "Inès",
    lastName: "Moreau",
    email: "ines@acme-robotics.test",
    companyId,
    ownerId: rep.id,
  });
  await insertTestLead(fx.a, { firstName: "Other", companyId, deletedAt: new Date() });
  await insertTestLead(fx.a, { firstName: "Third", companyId });
  // 45 entries one millisecond apart, the last an owner change naming two members.
  const base = Date.now() - 60_000;
  for (let i = 0; i < 44; i++) {
    await serviceDb()
      .insert(leadActivities)
      .values({
        workspaceId: fx.a.id,
        leadId,
        type: "note_added",
        actorId: rep.id,
        payload: { body: `note ${i}` },
        createdAt: new Date(base + i),
      });
  }
  await recordActivities(serviceDb(), [
    { workspaceId: fx.a.id, leadId, type: "owner_changed", actorId: fx.a.members.manager.id, payload: { before: null, after: rep.id } },
  ]);
});

afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("getLeadDetail", () => {
  it("returns the lead, its company card, the newest timeline page and the people it names", async () => {
    const detail = await asUser(fx.a.members.viewer, (tx) => getLeadDetail(tx, { workspaceId: fx.a.id, leadId }));
    expect(detail.lead).toMatchObject({ id: leadId, firstName: "Inès", companyName: "Acme Robotics", ownerId: fx.a.members.sales_rep.id });
    expect(detail.lead.version).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // The deleted lead at the company is not counted.
    expect(detail.company).toMatchObject({ id: companyId, name: "Acme Robotics", industry: "Robotics", employeeCount: 250, leadCount: 2 });
    expect(detail.timeline.entries).toHaveLength(30);
    expect(detail.timeline.entries[0]).toMatchObject({ type: "owner_changed" });
    expect(detail.timeline.nextCursor).not.toBeNull();
    expect(detail.people[fx.a.members.manager.id]?.name).toBe(fx.a.members.manager.fullName);
    expect(detail.people[fx.a.members.sales_rep.id]?.name).toBe(fx.a.members.sales_rep.fullName);
  });

  it("pages the timeline to its end, every entry once", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    await asUser(fx.a.members.viewer, async (tx) => {
      do {
        const page = await listLeadTimeline(tx, { workspaceId: fx.a.id, leadId, before, limit: 7 });
        seen.push(...page.entries.map((e) => e.id));
        before = page.nextCursor ?? undefined;
      } while (before);
    });
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
  });

  it("shows the newest page for a cursor that does not decode", async () => {
    const page = await asUser(fx.a.members.viewer, (tx) => listLeadTimeline(tx, { workspaceId: fx.a.id, leadId, before: "garbage!" }));
    expect(page.entries[0]?.type).toBe("owner_changed");
  });

  it("says not found for another workspace's lead, even to its admin's id", async () => {
    const error = await asUser(fx.b.members.admin, (tx) => getLeadDetail(tx, { workspaceId: fx.b.id, leadId })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "not_found", message: "That lead was not found." });
    // Naming workspace A while signed in as B's admin finds nothing either (RLS).
    const forged = await asUser(fx.b.members.admin, (tx) => getLeadDetail(tx, { workspaceId: fx.a.id, leadId })).catch((e: unknown) => e);
    expect(forged).toMatchObject({ code: "not_found" });
  });
});
