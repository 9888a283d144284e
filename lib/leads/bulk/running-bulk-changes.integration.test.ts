import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { leadBulkOperations } from "@/db/schema";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { myRunningBulkChanges } from "./running-bulk-changes";
import { INLINE_LIMIT } from "./schemas";

let fx: TenancyFixture;

type Op = Partial<typeof leadBulkOperations.$inferInsert> & Pick<typeof leadBulkOperations.$inferInsert, "action">;
async function insertOperation(by: TenancyMember, op: Op, workspaceId = fx.a.id): Promise<string> {
  const [row] = await serviceDb()
    .insert(leadBulkOperations)
    .values({ workspaceId, requestedBy: by.id, selection: { kind: "filter", query: "status=new" }, status: "running", total: 2_500, ...op })
    .returning({ id: leadBulkOperations.id });
  return row!.id;
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
const runningFor = (member: TenancyMember) => asUser(member, (tx) => myRunningBulkChanges(tx, { workspaceId: fx.a.id, userId: member.id }));

beforeAll(async () => {
  fx = await createTenancyFixture();
});

afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("myRunningBulkChanges (what the leads page follows again after a reload)", () => {
  it("lists the person's own unfinished background changes, newest first, each in words with how far it got", async () => {
    const manager = fx.a.members.manager;
    const rep = fx.a.members.sales_rep;
    const older = await insertOperation(manager, {
      action: "add_tags",
      params: { tags: ["vip", "event-2026"] },
      status: "queued",
      createdAt: hoursAgo(1),
    });
    const assign = await insertOperation(manager, { action: "assign_owner", params: { ownerId: rep.id }, total: 12_345, processed: 4_000 });
    const status = await insertOperation(manager, {
      action: "set_status",
      params: { status: "won" },
      createdAt: hoursAgo(2),
    });
    expect(await runningFor(manager)).toEqual([
      { operationId: assign, summary: `Assigning 12,345 leads to ${rep.fullName}`, processed: 4_000, total: 12_345 },
      { operationId: older, summary: "Adding vip, event-2026 to 2,500 leads", processed: 0, total: 2_500 },
      { operationId: status, summary: "Setting 2,500 leads to Won", processed: 0, total: 2_500 },
    ]);
  });

  it("leaves out finished changes, changes of a page or less (never run as a job), day-old ones and other people's", async () => {
    const admin = fx.a.members.admin;
    await insertOperation(admin, { action: "delete", status: "completed", finishedAt: new Date() });
    await insertOperation(admin, { action: "delete", status: "failed", error: "Stopped.", finishedAt: new Date() });
    await insertOperation(admin, { action: "delete", total: INLINE_LIMIT });
    await insertOperation(admin, { action: "delete", createdAt: hoursAgo(25) });
    await insertOperation(admin, { action: "delete" }, fx.b.id);
    const mine = await insertOperation(admin, { action: "remove_tags", params: { tags: ["cold"] } });
    expect(await runningFor(admin)).toEqual([{ operationId: mine, summary: "Removing cold from 2,500 leads", processed: 0, total: 2_500 }]);
    // Another member asking for the admin's changes sees none of them (RLS: each person's own operations).
    const asRep = await asUser(fx.a.members.sales_rep, (tx) => myRunningBulkChanges(tx, { workspaceId: fx.a.id, userId: admin.id }));
    expect(asRep).toEqual([]);
  });
});
