import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import { auditLog, profiles, workspaceMembers } from "@/db/schema";
import { createInvitation } from "@/lib/invitations/create-invitation";
import { findInvitationByToken } from "@/lib/invitations/find-invitation";
import {
  claimsFor,
  createTenancyFixture,
  createTestUser,
  randomSuffix,
  removeTenancyFixture,
  sqlState,
  type TenancyFixture,
} from "@/tests/fixtures/tenancy";
import { changeMemberRole } from "./change-member-role";
import { listMembers } from "./list-members";
import { assertAnotherAdminRemains, lockMember } from "./member-guards";
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

describe("invitations of an admin who is no longer one", () => {
  it("are revoked when the admin is removed or given another role, so their links bring nobody back", async () => {
    // Otherwise a removed admin could accept, from a second mailbox, an admin invitation they sent.
    const admin = f.a.members.admin;
    const other = await createTestUser(serviceDb(), { email: `second-admin-${randomSuffix()}@example.test`, fullName: "Élodie Seconde" });
    const [row] = await serviceDb()
      .insert(workspaceMembers)
      .values({ workspaceId: f.a.id, userId: other.id, role: "admin" })
      .returning({ id: workspaceMembers.id });
    const second = { ...other, memberId: row!.id };
    const asSecond = <T>(work: Parameters<typeof withUserTx<T>>[1]) => withUserTx(claimsFor(second.id, second.email), work);
    const sent = async () => {
      const email = `second-mailbox-${randomSuffix()}@example.test`;
      const { token } = await asSecond((tx) => createInvitation(tx, { workspaceId: f.a.id, actorId: second.id, email, role: "admin" }));
      return token;
    };
    const beforeDemotion = await sent();
    const mine = await asAdminOfA((tx) =>
      createInvitation(tx, { workspaceId: f.a.id, actorId: admin.id, email: `kept-${randomSuffix()}@example.test`, role: "viewer" }),
    );
    await asAdminOfA((tx) => changeMemberRole(tx, { workspaceId: f.a.id, actorId: admin.id, memberId: second.memberId, role: "manager" }));
    expect((await findInvitationByToken(serviceDb(), beforeDemotion))?.status).toBe("revoked");
    expect((await findInvitationByToken(serviceDb(), mine.token))?.status).toBe("valid");

    await asAdminOfA((tx) => changeMemberRole(tx, { workspaceId: f.a.id, actorId: admin.id, memberId: second.memberId, role: "admin" }));
    const beforeRemoval = await sent();
    await asAdminOfA((tx) => removeMember(tx, { workspaceId: f.a.id, actorId: admin.id, memberId: second.memberId }));
    expect((await findInvitationByToken(serviceDb(), beforeRemoval))?.status).toBe("revoked");
    const audited = await serviceDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, f.a.id), eq(auditLog.action, "invitation.revoked")));
    expect(audited.filter((e) => e.actorId === admin.id)).toHaveLength(2);
  });
});

describe("two admins demoting each other at once", () => {
  it("take turns: one succeeds, the other is told why it cannot (not a deadlock's 'something went wrong')", async () => {
    const first = f.a.members.admin;
    const other = await createTestUser(serviceDb(), { email: `mutual-${randomSuffix()}@example.test`, fullName: "Noé Mutuel" });
    const [row] = await serviceDb()
      .insert(workspaceMembers)
      .values({ workspaceId: f.a.id, userId: other.id, role: "admin" })
      .returning({ id: workspaceMembers.id });
    const firstMember = (await serviceDb().select().from(workspaceMembers).where(eq(workspaceMembers.userId, first.id))).find(
      (m) => m.workspaceId === f.a.id,
    )!;
    let firstLocked!: () => void;
    const firstHasLocked = new Promise<void>((resolve) => (firstLocked = resolve));
    let secondLocked!: () => void;
    const secondHasLocked = new Promise<void>((resolve) => (secondLocked = resolve));
    // The service's steps (changeMemberRole), with each pausing after locking its target as a
    // busy server may: the first waits (up to half a second) for the second to lock its own.
    const demote = (actor: { id: string; email: string }, memberId: string, locked: () => void, pause: () => Promise<unknown>) =>
      withUserTx(claimsFor(actor.id, actor.email), async (tx) => {
        await lockMember(tx, f.a.id, memberId);
        locked();
        await pause();
        await assertAnotherAdminRemains(tx, f.a.id, memberId);
        await tx.update(workspaceMembers).set({ role: "manager" }).where(eq(workspaceMembers.id, memberId));
      });
    const t1 = demote(first, row!.id, firstLocked, () => Promise.race([secondHasLocked, new Promise((r) => setTimeout(r, 500))]));
    await firstHasLocked;
    const t2 = demote(other, firstMember.id, secondLocked, async () => {});
    const [one, two] = await Promise.allSettled([t1, t2]);
    expect(one.status).toBe("fulfilled");
    expect(two.status).toBe("rejected");
    // By then the second is no longer an admin: the first's change committed before its turn.
    expect((two as PromiseRejectedResult).reason).toMatchObject({
      code: "forbidden",
      message: "You are no longer an admin of this workspace, so you cannot change its team.",
    });
    await serviceDb().delete(workspaceMembers).where(eq(workspaceMembers.id, row!.id));
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

  it("refuses the second of two concurrent demotions that would together leave no admin", async () => {
    // Each transaction's check at commit saw the other's admin row as it was before the other's
    // uncommitted change: both committed, and nobody could manage the team any more.
    const [first, second] = [f.b.members.manager, f.b.members.admin];
    await serviceDb().update(workspaceMembers).set({ role: "admin" }).where(eq(workspaceMembers.id, second.memberId));
    const admins = async () =>
      (await serviceDb().select().from(workspaceMembers).where(eq(workspaceMembers.workspaceId, f.b.id)))
        .filter((r) => r.role === "admin")
        .map((r) => r.id)
        .sort();
    expect(await admins()).toEqual([first.memberId, second.memberId].sort());

    let letFirstCommit!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (letFirstCommit = resolve));
    let firstChecked!: () => void;
    const firstHasChecked = new Promise<void>((resolve) => (firstChecked = resolve));
    const demote = (memberId: string, hold?: () => Promise<void>) =>
      serviceDb().transaction(async (tx) => {
        await tx.update(workspaceMembers).set({ role: "manager" }).where(eq(workspaceMembers.id, memberId));
        // The commit-time check, run now (as at commit) so the two overlap.
        await tx.execute(sql`set constraints workspace_members_keep_an_admin immediate`);
        await hold?.();
      });
    const t1 = demote(first.memberId, async () => {
      firstChecked();
      await firstMayCommit;
    });
    await firstHasChecked;
    const t2 = demote(second.memberId).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    letFirstCommit();
    await t1;
    expect(sqlState(await t2)).toBe("23514");
    expect(await admins()).toEqual([second.memberId]);
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
