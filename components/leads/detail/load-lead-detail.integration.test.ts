import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { resolveSession, type WorkspaceSession } from "@/lib/auth/session";
import { addTestMember, insertTestLead } from "@/tests/fixtures/leads";
import { claimsFor, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { loadLeadDetail } from "./load-lead-detail";

let fx: TenancyFixture;
let otherRep: TenancyMember;
let repLead: string;
let unassigned: string;
let deleted: string;

async function sessionOf(member: TenancyMember, workspaceId = fx.a.id): Promise<WorkspaceSession> {
  return (await resolveSession(claimsFor(member.id, member.email), workspaceId)) as WorkspaceSession;
}

beforeAll(async () => {
  fx = await createTenancyFixture();
  otherRep = await addTestMember(fx.a, "sales_rep", "Noé Petit");
  repLead = await insertTestLead(fx.a, { firstName: "Owned", ownerId: fx.a.members.sales_rep.id });
  unassigned = await insertTestLead(fx.a, { firstName: "Nobody's" });
  deleted = await insertTestLead(fx.a, { firstName: "Gone", deletedAt: new Date(), deletedBy: fx.a.members.admin.id });
});

afterAll(async () => {
  await removeTenancyFixture(fx, serviceDb());
});

describe("loadLeadDetail: what each viewer may do", () => {
  it("gives a viewer the lead and no controls", async () => {
    const view = await loadLeadDetail(await sessionOf(fx.a.members.viewer), repLead);
    expect(view?.detail.lead.firstName).toBe("Owned");
    expect(view?.viewer).toMatchObject({ canEdit: false, canChangeOwner: false, canNote: false });
    expect(view?.ownerChoices).toEqual([]);
  });

  it("lets the owning rep edit and give the lead back, nothing more", async () => {
    const rep = fx.a.members.sales_rep;
    const view = await loadLeadDetail(await sessionOf(rep), repLead);
    expect(view?.viewer).toMatchObject({ canEdit: true, canChangeOwner: true, canNote: true });
    expect(view?.ownerChoices.map((c) => c.userId)).toEqual([null, rep.id]);
  });

  it("lets another rep note on the lead but not edit it, and take an unassigned one", async () => {
    const view = await loadLeadDetail(await sessionOf(otherRep), repLead);
    expect(view?.viewer).toMatchObject({ canEdit: false, canChangeOwner: false, canNote: true });
    const free = await loadLeadDetail(await sessionOf(otherRep), unassigned);
    expect(free?.viewer).toMatchObject({ canEdit: true, canChangeOwner: true });
    expect(free?.ownerChoices).toEqual([
      { userId: null, name: "Unassigned" },
      { userId: otherRep.id, name: expect.stringContaining("(me)") },
    ]);
  });

  it("offers a manager every member who can work leads", async () => {
    const view = await loadLeadDetail(await sessionOf(fx.a.members.manager), repLead);
    const offered = new Set(view?.ownerChoices.map((c) => c.userId));
    const { admin, manager, sales_rep, analyst, viewer } = fx.a.members;
    for (const id of [null, admin.id, manager.id, sales_rep.id, otherRep.id]) expect(offered.has(id)).toBe(true);
    for (const id of [analyst.id, viewer.id]) expect(offered.has(id)).toBe(false);
  });

  it("keeps a deleted lead read-only, even for an admin", async () => {
    const view = await loadLeadDetail(await sessionOf(fx.a.members.admin), deleted);
    expect(view?.detail.lead.deletedAt).not.toBeNull();
    expect(view?.viewer).toMatchObject({ canEdit: false, canChangeOwner: false, canNote: false });
  });

  it("is null for another workspace's lead and for a malformed id", async () => {
    expect(await loadLeadDetail(await sessionOf(fx.b.members.admin, fx.b.id), repLead)).toBeNull();
    expect(await loadLeadDetail(await sessionOf(fx.a.members.admin), "not-a-uuid")).toBeNull();
  });
});
