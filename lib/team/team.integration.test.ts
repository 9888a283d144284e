import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import { auditLog, profiles, workspaceMembers } from "@/db/schema";
import { claimsFor, createTenancyFixture, removeTenancyFixture, sqlState, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { changeMemberRole } from "./change-member-role";
import { listMembers } from "./list-members";
import { removeMember } from "./remove-member";

let f: TenancyFixture;
const asAdminOfA = <T>(work: Parameters<typeof withUserTx<T>>[1]) =>
  withUserTx(claimsFor(f.a.members.admin.id, f.a.members.admin.email), work);

beforeAll(async () => {
  f = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(f);
});

describe("team management", () => {
  it("lists the workspace's members with their profiles, accents intact", async () => {
    const members = await asAdminOfA((tx) => listMembers(tx, { workspaceId: f.a.id }));
    expect(members).toHaveLength(5);
    expect(members.map((m) => m.fullName)).toContain(f.a.members.viewer.fullName);
    expect(members.every((m) => m.email.endsWith(".test"))).toBe(true);
  });

  it("changes a role and records who did it", async () => {
    const { memberId, id: userId } = f.a.members.analyst;
    await asAdminOfA((tx) => changeMemberRole(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, memberId, role: "manager" }));
    const [row] = await serviceDb().select().from(workspaceMembers).where(eq(workspaceMembers.id, memberId));
    expect(row?.role).toBe("manager");
    const entries = await serviceDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, f.a.id), eq(auditLog.action, "member.role_changed")));
    expect(entries.at(-1)?.metadata).toEqual({ userId, from: "analyst", to: "manager" });
    expect(entries.at(-1)?.actorId).toBe(f.a.members.admin.id);
  });

  it("treats a member of another workspace as not found, changing nothing", async () => {
    const target = f.b.members.viewer;
    await expect(
      asAdminOfA((tx) =>
        changeMemberRole(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, memberId: target.memberId, role: "admin" }),
      ),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      asAdminOfA((tx) => removeMember(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, memberId: target.memberId })),
    ).rejects.toMatchObject({ code: "not_found" });
    const [row] = await serviceDb().select().from(workspaceMembers).where(eq(workspaceMembers.id, target.memberId));
    expect(row?.role).toBe("viewer");
  });

  it("never leaves a workspace without an admin", async () => {
    const admin = f.a.members.admin;
    await expect(
      asAdminOfA((tx) => changeMemberRole(tx, { workspaceId: f.a.id, actorId: admin.id, memberId: admin.memberId, role: "viewer" })),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      asAdminOfA((tx) => removeMember(tx, { workspaceId: f.a.id, actorId: admin.id, memberId: admin.memberId })),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("removes a member, and the audit entry is written in the same transaction", async () => {
    const { memberId } = f.a.members.viewer;
    await asAdminOfA((tx) => removeMember(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, memberId }));
    expect(await serviceDb().select().from(workspaceMembers).where(eq(workspaceMembers.id, memberId))).toEqual([]);
    const [entry] = await serviceDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, f.a.id), eq(auditLog.action, "member.removed"), eq(auditLog.targetId, memberId)));
    expect(entry).toBeDefined();
  });

  it("rolls back the change when a later write in the transaction fails", async () => {
    const { memberId } = f.a.members.sales_rep;
    await expect(
      asAdminOfA(async (tx) => {
        await changeMemberRole(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, memberId, role: "manager" });
        throw new Error("boom after the change");
      }),
    ).rejects.toThrow("boom");
    const [row] = await serviceDb().select().from(workspaceMembers).where(eq(workspaceMembers.id, memberId));
    expect(row?.role).toBe("sales_rep");
  });
});

describe("membership invariants in the database", () => {
  it("refuses, at commit, a change that leaves the workspace without an admin, even one that skips the service", async () => {
    const admin = f.b.members.admin;
    const demote = withUserTx(claimsFor(admin.id, admin.email), (tx) =>
      tx.update(workspaceMembers).set({ role: "viewer" }).where(eq(workspaceMembers.id, admin.memberId)),
    );
    expect(sqlState(await demote.catch((e: unknown) => e))).toBe("23514");
    const remove = serviceDb().delete(workspaceMembers).where(eq(workspaceMembers.id, admin.memberId));
    expect(sqlState(await remove.catch((e: unknown) => e))).toBe("23514");
    const [row] = await serviceDb().select().from(workspaceMembers).where(eq(workspaceMembers.id, admin.memberId));
    expect(row?.role).toBe("admin");
  });

  it("checks at commit, so a transaction may demote the admin before promoting the next", async () => {
    const [admin, manager] = [f.b.members.admin, f.b.members.manager];
    await serviceDb().transaction(async (tx) => {
      await tx.update(workspaceMembers).set({ role: "manager" }).where(eq(workspaceMembers.id, admin.memberId));
      await tx.update(workspaceMembers).set({ role: "admin" }).where(eq(workspaceMembers.id, manager.memberId));
    });
    const rows = await serviceDb().select().from(workspaceMembers).where(eq(workspaceMembers.workspaceId, f.b.id));
    expect(rows.filter((r) => r.role === "admin").map((r) => r.id)).toEqual([manager.memberId]);
  });

  it("never lets a member row be moved to another user or workspace", async () => {
    const admin = f.a.members.admin;
    await expect(
      withUserTx(claimsFor(admin.id, admin.email), (tx) =>
        tx.update(workspaceMembers).set({ userId: f.outsider.id }).where(eq(workspaceMembers.id, f.a.members.sales_rep.memberId)),
      ),
    ).rejects.toSatisfy((e) => sqlState(e) === "42501");
  });

  it("keeps the profile email the verified one: a member cannot show teammates another address", async () => {
    const rep = f.a.members.sales_rep;
    const spoof = withUserTx(claimsFor(rep.id, rep.email), (tx) =>
      tx.update(profiles).set({ email: "ceo@acme.test" }).where(eq(profiles.id, rep.id)),
    );
    expect(sqlState(await spoof.catch((e: unknown) => e))).toBe("42501");
    await withUserTx(claimsFor(rep.id, rep.email), (tx) => tx.update(profiles).set({ fullName: "Zoë Å." }).where(eq(profiles.id, rep.id)));
    const [row] = await serviceDb().select().from(profiles).where(eq(profiles.id, rep.id));
    expect(row).toMatchObject({ email: rep.email, fullName: "Zoë Å." });
  });
});
