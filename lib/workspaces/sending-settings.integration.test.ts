import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, workspaces } from "@/db/schema";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { getSendingSettings, updateSendingSettings } from "./sending-settings";
import { percentOf, ZSendingSettings } from "./sending-settings-schema";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(() => removeTenancyFixture(fx));

const settingsOf = async (id: string) =>
  (
    await serviceDb()
      .select({
        timeZone: workspaces.timeZone,
        bounce: workspaces.bounceRateThreshold,
        complaint: workspaces.complaintRateThreshold,
        min: workspaces.breakerMinSends,
      })
      .from(workspaces)
      .where(eq(workspaces.id, id))
  )[0]!;

const form = { timeZone: "Europe/Paris", bounceRatePercent: "3.5", complaintRatePercent: "0.2", breakerMinSends: "250" };

describe("the workspace's sending settings", () => {
  it("an admin sets the time zone and the breaker's thresholds (percent in, fractions stored), audited", async () => {
    const admin = fx.a.members.admin;
    const input = ZSendingSettings.parse(form);
    const saved = await asUser(admin, (tx) => updateSendingSettings(tx, { workspaceId: fx.a.id, userId: admin.id, role: "admin" }, input));
    expect(saved).toEqual({ timeZone: "Europe/Paris", bounceRateThreshold: 0.035, complaintRateThreshold: 0.002, breakerMinSends: 250 });
    expect(await settingsOf(fx.a.id)).toEqual({ timeZone: "Europe/Paris", bounce: 0.035, complaint: 0.002, min: 250 });
    expect(await asUser(fx.a.members.viewer, (tx) => getSendingSettings(tx, { workspaceId: fx.a.id }))).toEqual(saved);
    const [audit] = await serviceDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.action, "workspace.sending_settings_updated")));
    expect(audit).toMatchObject({
      actorId: admin.id,
      metadata: { before: { timeZone: "UTC", bounceRateThreshold: 0.02 }, after: { timeZone: "Europe/Paris", bounceRateThreshold: 0.035 } },
    });
    expect(percentOf(saved.bounceRateThreshold)).toBe("3.5");
    expect(percentOf(saved.complaintRateThreshold)).toBe("0.2");
  });

  it("refuses every other role, in the service and again in the database", async () => {
    const before = await settingsOf(fx.b.id);
    const input = ZSendingSettings.parse({ ...form, timeZone: "Asia/Tokyo" });
    for (const role of ["manager", "sales_rep", "analyst", "viewer"] as const) {
      const member = fx.b.members[role];
      await expect(
        asUser(member, (tx) => updateSendingSettings(tx, { workspaceId: fx.b.id, userId: member.id, role }, input)),
      ).rejects.toMatchObject({ code: "forbidden" });
      // A service that trusted a wrong role would still meet the workspaces update policy.
      await expect(
        asUser(member, (tx) => updateSendingSettings(tx, { workspaceId: fx.b.id, userId: member.id, role: "admin" }, input)),
      ).rejects.toMatchObject({ code: "not_found" });
    }
    // Another workspace's admin cannot reach it.
    const outsider = fx.a.members.admin;
    await expect(
      asUser(outsider, (tx) => updateSendingSettings(tx, { workspaceId: fx.b.id, userId: outsider.id, role: "admin" }, input)),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(await settingsOf(fx.b.id)).toEqual(before);
  });

  it("says plainly what is wrong with the form", () => {
    const problems = (input: Record<string, string>) =>
      ZSendingSettings.safeParse({ ...form, ...input }).error?.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    expect(problems({ timeZone: "Mars/Olympus" })).toEqual(["timeZone: Choose a time zone from the list, like Europe/Paris."]);
    expect(problems({ bounceRatePercent: "0" })).toEqual(["bounceRatePercent: The bounce limit must be at least 0.001 %."]);
    expect(problems({ complaintRatePercent: "80" })).toEqual(["complaintRatePercent: The complaint limit can be at most 50 %."]);
    expect(problems({ bounceRatePercent: "two" })).toEqual(["bounceRatePercent: Enter the bounce limit as a number of percent, like 2."]);
    expect(problems({ breakerMinSends: "10" })).toEqual(["breakerMinSends: Judge a campaign after at least 20 sends."]);
    expect(problems({ breakerMinSends: "100.5" })).toEqual(["breakerMinSends: Enter the number of sends as a whole number."]);
  });
});
