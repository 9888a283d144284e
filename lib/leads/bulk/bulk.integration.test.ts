import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { runLeadBulkOperationFunction } from "@/inngest/functions/leads/run-lead-bulk-operation";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession, type Session } from "@/lib/auth/session";
import { runReaching, startTestExecutor, stepsOf, productFunctions } from "@/lib/jobs/testing/harness";
import {
  bulkAddTags,
  bulkAssignOwner,
  bulkDelete,
  bulkRemoveTags,
  bulkRestore,
  bulkSetStatus,
  countBulkSelection,
  undoBulkDelete,
} from "@/app/(app)/leads/bulk-actions";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { runBulkBatchAsRequester } from "./run-as-requester";
import { runBulkBatch } from "./run-bulk-batch";
import type { BulkProgress } from "./schemas";
import { startBulkOperation } from "./start-bulk-operation";
import { undoBulkDelete as undoBulkDeleteService } from "./undo-bulk-delete";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

type LeadState = { id: string; owner_id: string | null; status: string; tags: string[]; deleted: boolean; updated_at: string };

/** `n` leads in a workspace, owned by `ownerId`, named for the test that made them. */
async function seedLeads(workspaceId: string, n: number, ownerId: string | null, tags: string[] = []): Promise<string[]> {
  const tag = randomSuffix();
  const rows = await serviceDb().execute<{ id: string }>(sql`
    insert into public.leads (workspace_id, first_name, last_name, email, owner_id, tags)
    select ${workspaceId}, 'Zoë', 'Ångström ' || i, ${`bulk-${tag}-`} || i || '@example.test', ${ownerId}::uuid, ${`{${tags.join(",")}}`}::text[]
    from generate_series(1, ${n}) as i
    returning id`);
  return rows.map((r) => r.id).sort();
}

async function statesOf(ids: string[]): Promise<Map<string, LeadState>> {
  const rows = await serviceDb().execute<LeadState>(sql`
    select id, owner_id, status::text as status, tags, deleted_at is not null as deleted, updated_at::text
    from public.leads where id in ${ids}`);
  return new Map(rows.map((r) => [r.id, r]));
}

async function activitiesOf(
  ids: string[],
): Promise<{ lead_id: string; type: string; actor_id: string; payload: Record<string, unknown> }[]> {
  return serviceDb().execute(sql`
    select lead_id, type::text as type, actor_id, payload from public.lead_activities where lead_id in ${ids} order by created_at, id`);
}

async function sessionOf(member: TenancyMember, workspaceId: string): Promise<Session> {
  const sessionId = await startTestSession(serviceDb(), member.id);
  return resolveSession(claimsFor(member.id, member.email, sessionId), workspaceId);
}

function expectOk<T>(result: { ok: true; data: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result.data;
}

describe("bulk changes of a selection, in the request", () => {
  it("change exactly the selected leads of the session's workspace, each with its timeline entry", async () => {
    const manager = fx.a.members.manager;
    const selected = await seedLeads(fx.a.id, 3, null);
    const bystanders = await seedLeads(fx.a.id, 2, null);
    const [otherWorkspace] = await seedLeads(fx.b.id, 1, null);
    const before = await statesOf([...bystanders, otherWorkspace!]);

    const session = await sessionOf(manager, fx.a.id);
    const progress = expectOk(
      await executeAction(bulkSetStatus.definition, session, { selection: { ids: [...selected, otherWorkspace!] }, status: "contacted" }),
    ) as BulkProgress;

    expect(progress).toMatchObject({ status: "completed", background: false, total: 4, processed: 3, changed: 3, skipped: { missing: 1 } });
    const after = await statesOf(selected);
    for (const id of selected) expect(after.get(id)?.status).toBe("contacted");
    expect(await statesOf([...bystanders, otherWorkspace!])).toEqual(before);

    const activities = await activitiesOf([...selected, ...bystanders, otherWorkspace!]);
    expect(activities.map((a) => [a.lead_id, a.type, a.actor_id, a.payload.before, a.payload.after]).sort()).toEqual(
      selected.map((id) => [id, "status_changed", manager.id, "new", "contacted"]).sort(),
    );
    expect(activities.every((a) => a.payload.bulkOperationId === progress.operationId)).toBe(true);
  });

  it("a sales rep's bulk change leaves the leads of others as they were and says why", async () => {
    const rep = fx.a.members.sales_rep;
    const own = await seedLeads(fx.a.id, 2, rep.id);
    const unassigned = await seedLeads(fx.a.id, 1, null);
    const managers = await seedLeads(fx.a.id, 2, fx.a.members.manager.id);
    const before = await statesOf(managers);

    const session = await sessionOf(rep, fx.a.id);
    for (const [definition, input] of [
      [bulkSetStatus.definition, { status: "lost" }],
      [bulkAddTags.definition, { tags: ["hijacked"] }],
      [bulkDelete.definition, {}],
      [bulkAssignOwner.definition, { ownerId: rep.id }],
    ] as const) {
      const result = await executeAction(definition, session, { selection: { ids: [...own, ...unassigned, ...managers] }, ...input });
      const progress = expectOk(result) as BulkProgress;
      expect(progress.skipped.not_permitted, definition.name).toBe(2);
      if (definition.name === "bulkDelete") break;
    }
    expect(await statesOf(managers)).toEqual(before);
    expect(await activitiesOf(managers)).toEqual([]);
    const mine = await statesOf([...own, ...unassigned]);
    for (const id of [...own, ...unassigned]) expect(mine.get(id)).toMatchObject({ status: "lost", tags: ["hijacked"], deleted: true });
  });

  it("refuses a rep handing leads to a teammate, and a selection with nothing of this workspace", async () => {
    const rep = fx.a.members.sales_rep;
    const own = await seedLeads(fx.a.id, 1, rep.id);
    const session = await sessionOf(rep, fx.a.id);
    const handOver = await executeAction(bulkAssignOwner.definition, session, {
      selection: { ids: own },
      ownerId: fx.a.members.manager.id,
    });
    expect(handOver).toMatchObject({ ok: false, code: "forbidden" });

    const ofB = await seedLeads(fx.b.id, 2, null);
    const admin = await sessionOf(fx.a.members.admin, fx.a.id);
    const before = await statesOf(ofB);
    const cross = await executeAction(bulkSetStatus.definition, admin, { selection: { ids: ofB }, status: "won" });
    expect(cross).toMatchObject({
      ok: false,
      code: "not_found",
      error: "None of the selected leads can be found in this workspace any more, so nothing was changed.",
    });
    expect(await statesOf(ofB)).toEqual(before);
    const toOutsider = await executeAction(bulkAssignOwner.definition, admin, {
      selection: { ids: own },
      ownerId: fx.b.members.sales_rep.id,
    });
    expect(toOutsider).toMatchObject({ ok: false, code: "not_found", error: "That person is not a member of this workspace." });
    const toViewer = await executeAction(bulkAssignOwner.definition, admin, {
      selection: { ids: own },
      ownerId: fx.a.members.viewer.id,
    });
    expect(toViewer).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { ownerId: expect.any(Array) } });
    expect((await statesOf(own)).get(own[0]!)).toMatchObject({ owner_id: rep.id });
  });

  it("refuses a tag holding a NUL character before anything runs, naming the field (PostgreSQL cannot store one)", async () => {
    const ids = await seedLeads(fx.a.id, 1, null);
    const admin = await sessionOf(fx.a.members.admin, fx.a.id);
    const result = await executeAction(bulkAddTags.definition, admin, { selection: { ids }, tags: ["vip\u0000"] });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { tags: [expect.stringMatching(/NUL/)] } });
    expect((await statesOf(ids)).get(ids[0]!)).toMatchObject({ tags: [] });
  });

  it("adds and removes tags once, recording what each lead gained or lost", async () => {
    const admin = await sessionOf(fx.a.members.admin, fx.a.id);
    const [tagged, plain] = await Promise.all([seedLeads(fx.a.id, 1, null, ["vip"]), seedLeads(fx.a.id, 1, null)]);
    const ids = [...tagged, ...plain];
    const added = expectOk(await executeAction(bulkAddTags.definition, admin, { selection: { ids }, tags: ["vip", "fintech"] }));
    expect(added).toMatchObject({ changed: 2, skipped: {} });
    const again = expectOk(await executeAction(bulkAddTags.definition, admin, { selection: { ids }, tags: ["vip", "fintech"] }));
    expect(again).toMatchObject({ changed: 0, skipped: { unchanged: 2 } });
    const states = await statesOf(ids);
    expect(states.get(tagged[0]!)?.tags).toEqual(["vip", "fintech"]);
    expect(states.get(plain[0]!)?.tags).toEqual(["vip", "fintech"]);

    expectOk(await executeAction(bulkRemoveTags.definition, admin, { selection: { ids }, tags: ["vip"] }));
    expect((await statesOf(ids)).get(tagged[0]!)?.tags).toEqual(["fintech"]);
    const timeline = (await activitiesOf(tagged)).map((a) => ({ type: a.type, added: a.payload.added, removed: a.payload.removed }));
    expect(timeline).toEqual([
      { type: "tags_changed", added: ["fintech"], removed: [] },
      { type: "tags_changed", added: [], removed: ["vip"] },
    ]);
  });

  it("compares tags without case: adding VIP to a lead tagged vip changes nothing, removing VIP removes vip", async () => {
    const admin = await sessionOf(fx.a.members.admin, fx.a.id);
    const ids = await seedLeads(fx.a.id, 1, null, ["vip", "Q4"]);
    const added = expectOk(await executeAction(bulkAddTags.definition, admin, { selection: { ids }, tags: ["VIP", "q4"] }));
    expect(added).toMatchObject({ changed: 0, skipped: { unchanged: 1 } });
    // One of a few in a new case is added, in its first spelling, and only once.
    expectOk(await executeAction(bulkAddTags.definition, admin, { selection: { ids }, tags: ["Vip", "Fintech", "FINTECH"] }));
    expect((await statesOf(ids)).get(ids[0]!)?.tags).toEqual(["vip", "Q4", "Fintech"]);

    expectOk(await executeAction(bulkRemoveTags.definition, admin, { selection: { ids }, tags: ["VIP", "fintech"] }));
    expect((await statesOf(ids)).get(ids[0]!)?.tags).toEqual(["Q4"]);
    const timeline = (await activitiesOf(ids)).map((a) => ({ added: a.payload.added, removed: a.payload.removed }));
    // What the lead gained and lost, in its own spelling.
    expect(timeline).toEqual([
      { added: ["Fintech"], removed: [] },
      { added: [], removed: ["vip", "Fintech"] },
    ]);
  });

  it("deletes softly and the undo restores exactly those leads", async () => {
    const manager = await sessionOf(fx.a.members.manager, fx.a.id);
    const doomed = await seedLeads(fx.a.id, 3, null);
    const alreadyDeleted = await seedLeads(fx.a.id, 1, null);
    await serviceDb().execute(sql`update public.leads set deleted_at = now() - interval '1 day' where id in ${alreadyDeleted}`);

    const deleted = expectOk(await executeAction(bulkDelete.definition, manager, { selection: { ids: doomed } })) as BulkProgress;
    expect(deleted).toMatchObject({ status: "completed", changed: 3 });
    expect([...(await statesOf(doomed)).values()].every((s) => s.deleted)).toBe(true);

    // Someone else cannot undo it (the operation is not theirs to see).
    const admin = await sessionOf(fx.a.members.admin, fx.a.id);
    expect(await executeAction(undoBulkDelete.definition, admin, { operationId: deleted.operationId })).toMatchObject({
      ok: false,
      code: "not_found",
    });

    const undone = expectOk(await executeAction(undoBulkDelete.definition, manager, { operationId: deleted.operationId }));
    expect(undone).toMatchObject({ action: "restore", status: "completed", changed: 3 });
    expect([...(await statesOf(doomed)).values()].every((s) => !s.deleted)).toBe(true);
    expect((await statesOf(alreadyDeleted)).get(alreadyDeleted[0]!)?.deleted).toBe(true);
    expect((await activitiesOf(doomed)).map((a) => a.type).sort()).toEqual([
      "deleted",
      "deleted",
      "deleted",
      "restored",
      "restored",
      "restored",
    ]);

    const twice = await executeAction(undoBulkDelete.definition, manager, { operationId: deleted.operationId });
    expect(twice).toMatchObject({ ok: false, error: "Nothing to undo: the deleted leads were already restored." });
  });

  it("takes an undo only for a minute after the delete ended (a toast held open past it), then points to the Deleted filter", async () => {
    const manager = await sessionOf(fx.a.members.manager, fx.a.id);
    const doomed = await seedLeads(fx.a.id, 2, null);
    const deleted = expectOk(await executeAction(bulkDelete.definition, manager, { selection: { ids: doomed } })) as BulkProgress;
    await serviceDb().execute(
      sql`update public.lead_bulk_operations set finished_at = now() - interval '61 seconds' where id = ${deleted.operationId}`,
    );
    expect(await executeAction(undoBulkDelete.definition, manager, { operationId: deleted.operationId })).toMatchObject({
      ok: false,
      code: "conflict",
      error: expect.stringContaining("Too late to undo this delete. Restore the leads from the Deleted filter"),
    });
    expect([...(await statesOf(doomed)).values()].every((s) => s.deleted)).toBe(true);
  });
});

describe("bulk changes of all leads matching a filter", () => {
  it("change exactly the matching leads of the workspace, once the exact count is confirmed", async () => {
    const tag = `match-${randomSuffix()}`;
    const matching = await seedLeads(fx.a.id, 4, null, [tag]);
    const [deletedMatch] = await seedLeads(fx.a.id, 1, null, [tag]);
    await serviceDb().execute(sql`update public.leads set deleted_at = now() where id = ${deletedMatch}`);
    const notMatching = await seedLeads(fx.a.id, 2, null, ["other"]);
    const inB = await seedLeads(fx.b.id, 2, null, [tag]);
    const untouched = [deletedMatch!, ...notMatching, ...inB];
    const before = await statesOf(untouched);
    const admin = await sessionOf(fx.a.members.admin, fx.a.id);
    const filter = `tags=${tag}&status=new`;

    expect(expectOk(await executeAction(countBulkSelection.definition, admin, { filter }))).toEqual({ count: 4 });
    const stale = await executeAction(bulkSetStatus.definition, admin, { selection: { filter, confirmedCount: 5 }, status: "won" });
    expect(stale).toMatchObject({
      ok: false,
      code: "conflict",
      error: "This filter now matches 4 leads, not the 5 you confirmed. Check and confirm again.",
    });
    const done = expectOk(
      await executeAction(bulkSetStatus.definition, admin, { selection: { filter, confirmedCount: 4 }, status: "won" }),
    );
    expect(done).toMatchObject({ status: "completed", total: 4, changed: 4, skipped: {} });
    for (const state of (await statesOf(matching)).values()) expect(state.status).toBe("won");
    expect(await statesOf(untouched)).toEqual(before);

    // The filter now matches nothing (they are won): said plainly, nothing written.
    const none = await executeAction(bulkSetStatus.definition, admin, { selection: { filter, confirmedCount: 4 }, status: "lost" });
    expect(none).toMatchObject({ ok: false, code: "not_found", error: "No leads match this filter, so nothing was changed." });
    const inDeletedView = await executeAction(bulkSetStatus.definition, admin, {
      selection: { filter: `tags=${tag}&deleted=1`, confirmedCount: 1 },
      status: "lost",
    });
    expect(inDeletedView).toMatchObject({ ok: false, code: "invalid_input" });
    const restored = expectOk(
      await executeAction(bulkRestore.definition, admin, { selection: { filter: `tags=${tag}&deleted=1`, confirmedCount: 1 } }),
    );
    expect(restored).toMatchObject({ changed: 1 });
    expect((await statesOf([deletedMatch!])).get(deletedMatch!)?.deleted).toBe(false);
  });
});

describe("bulk changes of more than a page, as a job", () => {
  it("works in batches that resume from the committed cursor and never repeat a change", async () => {
    const manager = fx.a.members.manager;
    const ids = await seedLeads(fx.a.id, 250, null);
    const actor = { workspaceId: fx.a.id, userId: manager.id, role: "manager" as const };
    const started = await asUser(manager, (tx) =>
      startBulkOperation(tx, actor, { selection: { ids }, change: { action: "assign_owner", ownerId: manager.id } }),
    );
    expect(started).toMatchObject({ status: "queued", background: true, total: 250, processed: 0 });
    expect([...(await statesOf(ids)).values()].every((s) => s.owner_id === null)).toBe(true);

    const batch = (batchSize: number) =>
      asUser(manager, (tx) => runBulkBatch(tx, { workspaceId: fx.a.id, userId: manager.id, operationId: started.operationId, batchSize }));
    expect(await batch(100)).toMatchObject({ status: "running", processed: 100, changed: 100 });
    // A retry of a batch whose result was lost after its commit goes on from the cursor.
    expect(await batch(100)).toMatchObject({ status: "running", processed: 200, changed: 200 });
    expect(await batch(100)).toMatchObject({ status: "completed", processed: 250, changed: 250 });
    expect(await batch(100)).toMatchObject({ status: "completed", processed: 250, changed: 250 });

    expect([...(await statesOf(ids)).values()].every((s) => s.owner_id === manager.id)).toBe(true);
    const activities = await activitiesOf(ids);
    expect(activities).toHaveLength(250);
    expect(new Set(activities.map((a) => a.lead_id)).size).toBe(250);
  });

  it("changes the leads that matched when the count was confirmed, not a lead added to the filter while it runs", async () => {
    const manager = fx.a.members.manager;
    const tag = `confirmed-${randomSuffix()}`;
    const ids = await seedLeads(fx.a.id, 150, null, [tag]);
    const actor = { workspaceId: fx.a.id, userId: manager.id, role: "manager" as const };
    const started = await asUser(manager, (tx) =>
      startBulkOperation(tx, actor, { selection: { filter: `tags=${tag}`, confirmedCount: 150 }, change: { action: "delete" } }),
    );
    expect(started).toMatchObject({ background: true, total: 150 });
    // An import, or a teammate, adds a matching lead after the manager confirmed "Delete 150 leads?".
    const [late] = await seedLeads(fx.a.id, 1, null, [tag]);
    let progress;
    do {
      progress = await asUser(manager, (tx) =>
        runBulkBatch(tx, { workspaceId: fx.a.id, userId: manager.id, operationId: started.operationId, batchSize: 100 }),
      );
    } while (progress.status === "running" || progress.status === "queued");
    expect(progress).toMatchObject({ status: "completed", processed: 150, changed: 150 });
    expect([...(await statesOf(ids)).values()].every((s) => s.deleted)).toBe(true);
    expect((await statesOf([late!])).get(late!)?.deleted).toBe(false);
  });

  it("an undo stops a delete under way and restores what it had deleted; a demoted requester's job stops", async () => {
    const manager = fx.a.members.manager;
    const ids = await seedLeads(fx.a.id, 250, null);
    const actor = { workspaceId: fx.a.id, userId: manager.id, role: "manager" as const };
    const started = await asUser(manager, (tx) => startBulkOperation(tx, actor, { selection: { ids }, change: { action: "delete" } }));
    const batch = () =>
      asUser(manager, (tx) =>
        runBulkBatch(tx, { workspaceId: fx.a.id, userId: manager.id, operationId: started.operationId, batchSize: 100 }),
      );
    expect(await batch()).toMatchObject({ status: "running", changed: 100 });

    const undone = await asUser(manager, (tx) => undoBulkDeleteService(tx, actor, { operationId: started.operationId }));
    expect(undone).toMatchObject({ action: "restore", status: "completed", changed: 100 });
    // The delete's next batch finds it cancelled and deletes nothing more.
    expect(await batch()).toMatchObject({ status: "cancelled", processed: 100, changed: 100 });
    expect([...(await statesOf(ids)).values()].some((s) => s.deleted)).toBe(false);

    // A change whose requester lost the right to edit leads stops at the next batch.
    const tagging = await asUser(manager, (tx) =>
      startBulkOperation(tx, actor, { selection: { ids }, change: { action: "add_tags", tags: ["late"] } }),
    );
    await serviceDb().execute(sql`update public.workspace_members set role = 'viewer' where id = ${manager.memberId}`);
    try {
      const stopped = await runBulkBatchAsRequester(
        { workspaceId: fx.a.id, operationId: tagging.operationId, requestedBy: manager.id },
        100,
      );
      expect(stopped).toMatchObject({
        status: "failed",
        changed: 0,
        error: "Stopped: you no longer have permission to edit leads in this workspace.",
      });
      expect([...(await statesOf(ids)).values()].some((s) => s.tags.includes("late"))).toBe(false);
    } finally {
      await serviceDb().execute(sql`update public.workspace_members set role = 'manager' where id = ${manager.memberId}`);
    }
  });

  it("runs through @inngest/test, and a replay of the finished run changes nothing", async () => {
    const admin = fx.a.members.admin;
    const ids = await seedLeads(fx.a.id, 150, null);
    const started = await asUser(admin, (tx) =>
      startBulkOperation(
        tx,
        { workspaceId: fx.a.id, userId: admin.id, role: "admin" },
        { selection: { ids }, change: { action: "set_status", status: "meeting" } },
      ),
    );
    const event = {
      name: "leads/bulk.requested",
      data: { workspaceId: fx.a.id, operationId: started.operationId, requestedBy: admin.id, total: 150 },
    };
    const engine = new InngestTestEngine({ function: runLeadBulkOperationFunction, events: [event] });
    const { result } = (await engine.execute()) as { result: BulkProgress };
    expect(result).toMatchObject({ status: "completed", changed: 150, processed: 150 });
    const updated = await statesOf(ids);

    const replay = (await new InngestTestEngine({ function: runLeadBulkOperationFunction, events: [event] }).execute()) as {
      result: BulkProgress;
    };
    expect(replay.result).toMatchObject({ status: "completed", changed: 150 });
    expect(await statesOf(ids)).toEqual(updated);
    expect(await activitiesOf(ids)).toHaveLength(150);
  });

  it("starts from the action after its commit and the local executor completes it, batch after batch", async () => {
    const executor = await startTestExecutor(productFunctions("run-lead-bulk-operation"));
    try {
      const manager = fx.b.members.manager;
      const tag = `job-${randomSuffix()}`;
      // More than one step's batch (2,000), so the job resumes from its cursor at least once.
      const ids = await seedLeads(fx.b.id, 2_100, null, [tag]);
      const session = await sessionOf(manager, fx.b.id);
      const selection = { filter: `tags=${tag}`, confirmedCount: 2_100 };
      const started = expectOk(await executeAction(bulkDelete.definition, session, { selection })) as BulkProgress;
      expect(started).toMatchObject({ background: true, status: "queued", total: 2_100 });
      const [event] = await serviceDb().execute<{ id: string }>(
        sql`select id from public.job_events where idempotency_key = ${`lead-bulk-${started.operationId}`}`,
      );
      const run = await runReaching(event!.id, ["completed"], 25_000);
      expect(run).toMatchObject({ workspace_id: fx.b.id, function_id: "run-lead-bulk-operation" });
      expect(run.output).toMatchObject({ status: "completed", processed: 2_100, changed: 2_100 });
      expect((await stepsOf(run.id)).map((s) => s.step_id)).toEqual(["batch-0", "batch-1"]);
      expect([...(await statesOf(ids)).values()].every((s) => s.deleted)).toBe(true);
      expect(await activitiesOf(ids)).toHaveLength(2_100);
    } finally {
      await executor.stop();
    }
  });
});
