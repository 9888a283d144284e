import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { suppressions, workspaceMembers } from "@/db/schema";
import { addSuppression } from "@/app/(app)/settings/suppression/actions";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { sessionOf } from "@/tests/fixtures/sessions";
import { executeAction } from "./execute-action";

/**
 * Two tabs, one cookie: the current workspace is a cookie every tab shares. A person who is
 * admin of A and B has A's Settings open in one tab and switches to B in another; an action
 * sent from the first tab says which workspace its page shows (PagePin), and is refused
 * instead of being carried out in B.
 */
let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  await serviceDb().insert(workspaceMembers).values({ workspaceId: fx.b.id, userId: fx.a.members.admin.id, role: "admin" });
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, serviceDb());
});

const suppressed = async (workspaceId: string, value: string) =>
  (
    await serviceDb()
      .select()
      .from(suppressions)
      .where(and(eq(suppressions.workspaceId, workspaceId), eq(suppressions.value, value)))
  ).length;

describe("an action sent from a page of another workspace than the current one", () => {
  it("is refused, naming both, and changes nothing in either; from a page of the current one it goes through", async () => {
    const admin = fx.a.members.admin;
    // The cookie now names B (the switch in the other tab).
    const session = await sessionOf(admin, fx.b.id);
    expect(session.current?.workspaceId).toBe(fx.b.id);
    const value = `two-tabs-${randomSuffix()}@example.test`;

    const stale = await executeAction(addSuppression.definition, session, { value }, { ip: "192.0.2.10", page: { workspaceId: fx.a.id } });
    expect(stale).toMatchObject({ ok: false, code: "conflict" });
    expect(stale.ok ? "" : stale.error).toContain(`This page shows ${fx.a.name}, but you have switched to ${fx.b.name}`);
    expect(await suppressed(fx.a.id, value)).toBe(0);
    expect(await suppressed(fx.b.id, value)).toBe(0);

    const current = await executeAction(
      addSuppression.definition,
      session,
      { value },
      { ip: "192.0.2.10", page: { workspaceId: fx.b.id } },
    );
    expect(current).toMatchObject({ ok: true });
    expect(await suppressed(fx.b.id, value)).toBe(1);
    expect(await suppressed(fx.a.id, value)).toBe(0);
  });

  it("is refused from a page of a workspace the person is no longer a member of", async () => {
    const session = await sessionOf(fx.b.members.admin, fx.b.id);
    const value = `removed-${randomSuffix()}@example.test`;
    const result = await executeAction(addSuppression.definition, session, { value }, { ip: "192.0.2.11", page: { workspaceId: fx.a.id } });
    expect(result).toMatchObject({ ok: false, code: "conflict" });
    expect(result.ok ? "" : result.error).toContain("This page shows a workspace you are no longer a member of, so nothing was changed");
    expect(await suppressed(fx.b.id, value)).toBe(0);
  });
});
