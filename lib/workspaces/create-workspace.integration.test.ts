import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, workspaceMembers, workspaces } from "@/db/schema";
import { resolveSession } from "@/lib/auth/session";
import { asUser, claimsFor, createTenancyFixture, outcome, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { createWorkspace } from "./create-workspace";

let fx: TenancyFixture;
const created: string[] = [];
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(async () => {
  if (created.length) await serviceDb().execute(sql`delete from public.workspaces where id in ${created}`);
  await removeTenancyFixture(fx, serviceDb());
});

describe("createWorkspace", () => {
  it("makes a signed-in user without a workspace the admin of a new one, and nobody else its member", async () => {
    const { workspaceId, workspaceName } = await asUser(fx.outsider, (tx) =>
      createWorkspace(tx, { userId: fx.outsider.id, name: "Initech Sales" }),
    );
    created.push(workspaceId);
    expect(workspaceName).toBe("Initech Sales");

    const members = await serviceDb()
      .select({ userId: workspaceMembers.userId, role: workspaceMembers.role })
      .from(workspaceMembers)
      .where(eq(workspaceMembers.workspaceId, workspaceId));
    expect(members).toEqual([{ userId: fx.outsider.id, role: "admin" }]);

    const session = await resolveSession(claimsFor(fx.outsider.id, fx.outsider.email), workspaceId);
    expect(session.current).toMatchObject({ workspaceId, workspaceName: "Initech Sales", role: "admin" });

    const [audit] = await serviceDb()
      .select({ actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.action, "workspace.created")));
    expect(audit).toEqual({ actorId: fx.outsider.id });
  });

  it("is invisible to members of other workspaces, admins included", async () => {
    const { workspaceId } = await asUser(fx.a.members.viewer, (tx) =>
      createWorkspace(tx, { userId: fx.a.members.viewer.id, name: "Viewer's Side Project" }),
    );
    created.push(workspaceId);
    for (const other of [fx.a.members.admin, fx.b.members.admin]) {
      const seen = await asUser(other, (tx) => tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)));
      expect(seen, other.email).toEqual([]);
      const session = await resolveSession(claimsFor(other.id, other.email), workspaceId);
      expect(session.memberships.map((m) => m.workspaceId)).not.toContain(workspaceId);
      expect(session.current?.workspaceId).not.toBe(workspaceId);
    }
    // The creator keeps their role in the workspace they were already in.
    const viewer = await resolveSession(claimsFor(fx.a.members.viewer.id, fx.a.members.viewer.email), fx.a.id);
    expect(viewer.memberships.find((m) => m.workspaceId === fx.a.id)?.role).toBe("viewer");
    expect(viewer.memberships.find((m) => m.workspaceId === workspaceId)?.role).toBe("admin");
  });

  it("is refused to anonymous callers", async () => {
    const result = await outcome(() =>
      serviceDb().transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', 'anon', true)`);
        return tx.execute(sql`select private.create_workspace('Anon Inc', 'anon-inc-000000')`);
      }),
    );
    expect(result).toBe("denied");
  });
});
