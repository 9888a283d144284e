import "server-only";
import { and, asc, desc, eq, ne, or, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { sqlMessageOf, sqlStateOf } from "@/db/sql-state";
import { profiles, savedViews, type SAVED_VIEW_TABLES } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, forbidden, notFound } from "@/lib/errors";

type SavedViewTable = (typeof SAVED_VIEW_TABLES)[number];

export type SavedView = {
  id: string;
  name: string;
  shared: boolean;
  ownerId: string;
  ownerName: string;
  /** The table's URL query, as stored (see lib/saved-views/schemas.ts). */
  params: Record<string, string>;
};

type Scope = { workspaceId: string; userId: string; tableName: SavedViewTable };

/**
 * Whether this person may delete the view: its owner, or an admin (who manages the team) for a
 * view shared with the workspace, such as one a member who has left made. A private view stays
 * its owner's alone.
 */
export function canDeleteSavedView(view: { ownerId: string; shared: boolean }, person: { userId: string; role?: WorkspaceRole }): boolean {
  return view.ownerId === person.userId || (view.shared && !!person.role && can(person.role, "team.manage"));
}

const VIEW_NOT_FOUND = "That view";

/** The viewer's own views first, then the ones teammates shared, each by name. */
export async function listSavedViews(tx: Executor, { workspaceId, userId, tableName }: Scope): Promise<SavedView[]> {
  const rows = await tx
    .select({
      id: savedViews.id,
      name: savedViews.name,
      shared: savedViews.shared,
      ownerId: savedViews.ownerId,
      ownerName: sql<string>`coalesce(${profiles.fullName}, ${profiles.email}, 'A teammate')`,
      params: savedViews.state,
    })
    .from(savedViews)
    .leftJoin(profiles, eq(profiles.id, savedViews.ownerId))
    .where(
      and(
        eq(savedViews.workspaceId, workspaceId),
        eq(savedViews.tableName, tableName),
        or(eq(savedViews.ownerId, userId), eq(savedViews.shared, true)),
      ),
    )
    .orderBy(desc(sql`${savedViews.ownerId} = ${userId}`), asc(sql`lower(${savedViews.name})`), asc(savedViews.id))
    .limit(LISTED_VIEWS);
  return rows.map((r) => ({ ...r, params: r.params as Record<string, string> }));
}

async function assertNameFree(tx: Executor, scope: Scope, name: string, exceptId?: string) {
  const [clash] = await tx
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(
      and(
        eq(savedViews.workspaceId, scope.workspaceId),
        eq(savedViews.ownerId, scope.userId),
        eq(savedViews.tableName, scope.tableName),
        sql`lower(${savedViews.name}) = lower(${name})`,
        exceptId ? ne(savedViews.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (clash) throw new AppError("conflict", `You already have a view named “${name}”. Choose another name.`, { name: ["Name taken."] });
}

/**
 * Views one person may keep of one table in a workspace, counted by the database (migration
 * 0137, under a lock, so two saves at once count one after the other): every teammate's page
 * lists the views shared with them, and one member's thousands would reach every browser.
 */
export const MAX_SAVED_VIEWS_PER_PERSON = 50;
/** The most a page lists: the person's own views (at most the cap), then teammates' shared ones by name. */
const LISTED_VIEWS = 250;

export async function createSavedView(
  tx: Executor,
  scope: Scope,
  input: { name: string; shared: boolean; params: Record<string, string> },
): Promise<{ id: string }> {
  await assertNameFree(tx, scope, input.name);
  try {
    const [row] = await tx
      .insert(savedViews)
      .values({
        workspaceId: scope.workspaceId,
        ownerId: scope.userId,
        tableName: scope.tableName,
        name: input.name,
        shared: input.shared,
        state: input.params,
      })
      .returning({ id: savedViews.id });
    return { id: row!.id };
  } catch (error) {
    // The database counts the person's views under its own lock (migration 0137): its refusal, in words.
    if (sqlStateOf(error) === "23514" && /at most \d+ saved views/.test(sqlMessageOf(error) ?? "")) {
      throw new AppError(
        "conflict",
        `You have ${MAX_SAVED_VIEWS_PER_PERSON} saved views of this table, the most one person keeps. Delete one you no longer use, then save this one.`,
      );
    }
    throw error;
  }
}

/** A teammate's shared view is visible but only its owner changes it: say so rather than "not found". */
async function loadOwnView(tx: Executor, scope: Scope, viewId: string) {
  const [view] = await tx
    .select({ id: savedViews.id, ownerId: savedViews.ownerId })
    .from(savedViews)
    .where(and(eq(savedViews.id, viewId), eq(savedViews.workspaceId, scope.workspaceId), eq(savedViews.tableName, scope.tableName)));
  if (!view) throw notFound(VIEW_NOT_FOUND);
  if (view.ownerId !== scope.userId) throw forbidden("Only the person who saved this view can change or delete it. Save a copy instead.");
  return view;
}

export async function updateSavedView(
  tx: Executor,
  scope: Scope,
  input: { viewId: string; name?: string; shared?: boolean; params?: Record<string, string> },
): Promise<void> {
  await loadOwnView(tx, scope, input.viewId);
  if (input.name === undefined && input.shared === undefined && input.params === undefined) return;
  if (input.name !== undefined) await assertNameFree(tx, scope, input.name, input.viewId);
  await tx
    .update(savedViews)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.shared !== undefined ? { shared: input.shared } : {}),
      ...(input.params !== undefined ? { state: input.params } : {}),
    })
    .where(and(eq(savedViews.id, input.viewId), eq(savedViews.ownerId, scope.userId)));
}

/**
 * Deletes a view the person may delete (canDeleteSavedView); an admin's deletion of a
 * teammate's view is audited.
 */
export async function deleteSavedView(
  tx: Executor,
  scope: Scope & { role?: WorkspaceRole },
  { viewId }: { viewId: string },
): Promise<void> {
  const [view] = await tx
    .select({ ownerId: savedViews.ownerId, shared: savedViews.shared, name: savedViews.name })
    .from(savedViews)
    .where(and(eq(savedViews.id, viewId), eq(savedViews.workspaceId, scope.workspaceId), eq(savedViews.tableName, scope.tableName)));
  if (!view) throw notFound(VIEW_NOT_FOUND);
  const own = view.ownerId === scope.userId;
  if (!canDeleteSavedView(view, scope)) {
    throw forbidden("Only the person who saved this view, or an admin if it is shared, can delete it.");
  }
  await tx.delete(savedViews).where(and(eq(savedViews.id, viewId), eq(savedViews.workspaceId, scope.workspaceId)));
  if (!own) {
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actorId: scope.userId,
      action: "saved_view.deleted",
      targetType: "saved_view",
      targetId: viewId,
      metadata: { name: view.name, ownerId: view.ownerId },
    });
  }
}
