import "server-only";
import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { leadBulkOperations, leads, workspaceMembers } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { anyInInstantlyCampaigns } from "@/lib/campaigns/lifecycle/end-excluded-instantly-enrollments";
import { sendEvent } from "@/lib/jobs/send-event";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { recordActivities } from "@/lib/leads/activities";
import { bulkActivities, type ChangedLead } from "./bulk-activities";
import { addSkips, planBatch, type BulkCandidate } from "./plan-batch";
import type { BulkChange, BulkProgress, SkipCounts } from "./schemas";
import { idIn, selectionCondition, type StoredSelection } from "./selection-sql";

export type BulkOperation = typeof leadBulkOperations.$inferSelect;

export function changeOf(op: Pick<BulkOperation, "action" | "params">): BulkChange {
  return { action: op.action, ...op.params } as BulkChange;
}

export function progressOf(op: BulkOperation, background: boolean): BulkProgress {
  return {
    operationId: op.id,
    action: op.action,
    status: op.status,
    background,
    total: op.total,
    processed: op.processed,
    changed: op.changed,
    skipped: op.skipped,
    error: op.error,
  };
}

const FINISHED = new Set(["completed", "failed", "cancelled"]);

export const LOST_RIGHTS = "Stopped: you no longer have permission to edit leads in this workspace.";

/**
 * Works through the next `batchSize` leads of an operation, in id order after its cursor, as
 * the person who asked (`tx` is their RLS transaction; their role is read again each batch, so
 * a demotion or removal stops the work). The changes, their timeline entries and the
 * operation's new cursor and counts commit together: a batch that is retried after its commit
 * finds the cursor moved and goes on, and one retried before finds everything as it was.
 * Each UPDATE also re-checks the change is still needed, so nothing is done or logged twice.
 */
export async function runBulkBatch(
  tx: Database,
  { workspaceId, userId, operationId, batchSize }: { workspaceId: string; userId: string; operationId: string; batchSize: number },
): Promise<BulkOperation> {
  const [op] = await tx
    .select()
    .from(leadBulkOperations)
    .where(and(eq(leadBulkOperations.id, operationId), eq(leadBulkOperations.workspaceId, workspaceId)))
    .for("update");
  if (!op) throw notFound("That bulk change");
  if (FINISHED.has(op.status)) return op;

  const role = await roleOf(tx, workspaceId, userId);
  if (!role || !can(role, "leads.edit_own")) {
    return finish(tx, op, { status: "failed", error: LOST_RIGHTS });
  }

  const change = changeOf(op);
  const selection = op.selection as StoredSelection;
  const where: SQL[] = [selectionCondition(selection, { workspaceId, userId, restoring: change.action === "restore" })];
  // "All N matching": not a lead an import or a teammate adds meanwhile (its id, time-ordered,
  // would sort after the cursor), though a lead edited into the filter meanwhile is taken. A lead
  // made in a transaction that began before the count but committed after it may be taken too.
  // Compared in SQL: the operation's time to the microsecond (a JS Date keeps milliseconds).
  if (selection.kind === "filter") {
    where.push(sql`${leads.createdAt} <= (select o.created_at from ${leadBulkOperations} o where o.id = ${op.id})`);
  }
  if (op.cursor) where.push(gt(leads.id, op.cursor));
  const rows: BulkCandidate[] = await tx
    .select({
      id: leads.id,
      ownerId: leads.ownerId,
      status: leads.status,
      tags: leads.tags,
      deleted: sql<boolean>`${leads.deletedAt} is not null`,
    })
    .from(leads)
    .where(and(...where))
    .orderBy(asc(leads.id))
    .limit(batchSize);

  const plan = planBatch(change, { role, userId }, rows);
  const changed = await applyChange(tx, { workspaceId, userId, operationId, change, ids: plan.change.map((r) => r.id) });
  await recordActivities(tx, bulkActivities(change, { workspaceId, actorId: userId, operationId: op.id }, changed));
  if (change.action === "delete" && changed.length > 0) {
    // Instantly runs its sequences without asking us (our own send step refuses a deleted lead):
    // the leads it sends to leave its campaigns once the delete can no longer be undone
    // (inngest/functions/leads/take-deleted-leads-out-of-instantly.ts), so that an undo keeps
    // their place. One job per delete, however many of its batches find such leads.
    const deleted = changed.map((c) => c.id);
    afterCommit(tx, "take deleted leads out of Instantly once the undo has passed", async () => {
      if (!(await anyInInstantlyCampaigns(workspaceId, deleted))) return;
      await sendEvent({ name: "leads/instantly-exit.requested", id: `instantly-exit-${op.id}`, data: { workspaceId, operationId: op.id } });
    });
  }

  // A lead changed by someone else between the read and the write is left as they made it.
  let skipped = addSkips(op.skipped, plan.skipped);
  const raced = plan.change.length - changed.length;
  if (raced > 0) skipped = addSkips(skipped, { unchanged: raced });
  const processed = op.processed + rows.length;
  const done = rows.length < batchSize;
  // Selected ids that were never found: another workspace's, erased, or not live/deleted as needed.
  if (done && selection.kind === "ids" && op.total > processed) skipped = addSkips(skipped, { missing: op.total - processed });
  const progress = {
    processed,
    changed: op.changed + changed.length,
    skipped,
    cursor: rows.at(-1)?.id ?? op.cursor,
  };
  if (done) return finish(tx, op, { ...progress, status: "completed" });
  const [updated] = await tx
    .update(leadBulkOperations)
    .set({ ...progress, status: "running" })
    .where(eq(leadBulkOperations.id, op.id))
    .returning();
  return updated!;
}

async function finish(
  tx: Database,
  op: BulkOperation,
  patch: Partial<Pick<BulkOperation, "processed" | "changed" | "skipped" | "cursor" | "error">> & {
    status: "completed" | "failed" | "cancelled";
  },
): Promise<BulkOperation> {
  const [updated] = await tx
    .update(leadBulkOperations)
    .set({ ...patch, finishedAt: sql`now()` })
    .where(eq(leadBulkOperations.id, op.id))
    .returning();
  return updated!;
}

async function roleOf(tx: Database, workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
  const [member] = await tx
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  return member?.role ?? null;
}

/**
 * One UPDATE for the batch, guarded so it changes only leads that still need it, returning the
 * values each had before (PostgreSQL 18's RETURNING old.*) for the timeline.
 */
async function applyChange(
  tx: Database,
  {
    workspaceId,
    userId,
    operationId,
    change,
    ids,
  }: { workspaceId: string; userId: string; operationId: string; change: BulkChange; ids: string[] },
): Promise<ChangedLead[]> {
  if (ids.length === 0) return [];
  const { set, guard } = updateOf(change, { userId, operationId });
  const rows = await tx.execute<{ id: string; owner_before: string | null; status_before: string; tags_before: string[] }>(sql`
    update ${leads} set ${set}
    where ${leads.workspaceId} = ${workspaceId} and ${idIn(leads.id, ids)} and ${guard}
    returning ${leads.id} as id, old.owner_id as owner_before, old.status::text as status_before, old.tags as tags_before`);
  return rows.map((r) => ({ id: r.id, ownerBefore: r.owner_before, statusBefore: r.status_before, tagsBefore: r.tags_before }));
}

function updateOf(change: BulkChange, { userId, operationId }: { userId: string; operationId: string }): { set: SQL; guard: SQL } {
  const tags = JSON.stringify("tags" in change ? change.tags : []);
  const tagArray = sql`array(select jsonb_array_elements_text(${tags}::jsonb))`;
  const lowerArray = (array: SQL) => sql`array(select lower(t) from unnest(${array}) as t)`;
  const lowerTags = lowerArray(sql`${leads.tags}`);
  switch (change.action) {
    case "assign_owner":
      return { set: sql`owner_id = ${change.ownerId}::uuid`, guard: sql`${leads.ownerId} is distinct from ${change.ownerId}::uuid` };
    case "set_status":
      return {
        set: sql`status = ${change.status}::public.lead_status`,
        guard: sql`${leads.status} <> ${change.status}::public.lead_status`,
      };
    // Tags are compared without case (tag-rule.ts, the leads_tags_unique_ci CHECK): adding "VIP"
    // to a lead tagged "vip" changes nothing, and removing it removes "vip".
    case "add_tags":
      return {
        set: sql`tags = ${leads.tags} || array(
          select t from jsonb_array_elements_text(${tags}::jsonb) with ordinality as a(t, n) where not lower(t) = any(${lowerTags}) order by n)`,
        guard: sql`not ${lowerTags} @> ${lowerArray(tagArray)}`,
      };
    case "remove_tags":
      return {
        set: sql`tags = array(select t from unnest(${leads.tags}) with ordinality as a(t, n) where not lower(t) = any(${lowerArray(tagArray)}) order by n)`,
        guard: sql`${lowerTags} && ${lowerArray(tagArray)}`,
      };
    case "delete":
      // The operation's own timestamp, so its undo restores exactly these leads.
      return {
        set: sql`deleted_at = (select o.created_at from ${leadBulkOperations} o where o.id = ${operationId}), deleted_by = ${userId}::uuid`,
        guard: sql`${leads.deletedAt} is null`,
      };
    case "restore":
      return { set: sql`deleted_at = null, deleted_by = null`, guard: sql`${leads.deletedAt} is not null` };
  }
}

/** Exactly how many leads of the workspace a selection covers now (for confirming and for totals). */
export async function countSelection(
  tx: Database,
  selection: StoredSelection,
  { workspaceId, userId, restoring }: { workspaceId: string; userId: string; restoring: boolean },
): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(leads)
    .where(selectionCondition(selection, { workspaceId, userId, restoring }));
  return row?.n ?? 0;
}
