import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { leadImportMappings, profiles } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { toStoredColumns, ZStoredColumns, type SavedColumns } from "./columns";

/**
 * Mappings saved for reuse (lead_import_mappings): shared with the workspace's importers, kept
 * by header name (./columns.ts: pairs here, a JSON object in the table). Its creator or an admin
 * replaces or deletes one; RLS says the same again.
 */

export type SavedImportMapping = {
  id: string;
  name: string;
  columns: SavedColumns;
  createdBy: string | null;
  createdByName: string;
  /** Whether the asking user may replace or delete it. */
  canChange: boolean;
};

type Actor = { workspaceId: string; userId: string; role: WorkspaceRole };

const NOT_FOUND = "That saved mapping";

function assertImporter(actor: Actor) {
  if (!can(actor.role, "imports.run")) throw forbidden("Your role does not allow importing leads, so it cannot save mappings either.");
}

const mayChange = (actor: Actor, createdBy: string | null) => actor.role === "admin" || createdBy === actor.userId;

export async function listImportMappings(tx: Executor, actor: Actor): Promise<SavedImportMapping[]> {
  assertImporter(actor);
  const rows = await tx
    .select({
      id: leadImportMappings.id,
      name: leadImportMappings.name,
      columns: leadImportMappings.columns,
      createdBy: leadImportMappings.createdBy,
      createdByName: sql<string>`coalesce(${profiles.fullName}, ${profiles.email}, 'A former member')`,
    })
    .from(leadImportMappings)
    .leftJoin(profiles, eq(profiles.id, leadImportMappings.createdBy))
    .where(eq(leadImportMappings.workspaceId, actor.workspaceId))
    .orderBy(asc(sql`lower(${leadImportMappings.name})`));
  // A stored mapping that no longer parses (a target since renamed) is left out rather than offered broken.
  return rows.flatMap((r) => {
    const columns = ZStoredColumns.safeParse(r.columns);
    return columns.success ? [{ ...r, columns: columns.data, canChange: mayChange(actor, r.createdBy) }] : [];
  });
}

/**
 * Saves under a name; saving again under one's own name (any case) replaces it, so "save"
 * after a change does what a person expects. A teammate's mapping of that name is theirs.
 */
export async function saveImportMapping(
  tx: Executor,
  actor: Actor,
  input: { name: string; columns: SavedColumns },
): Promise<{ id: string }> {
  assertImporter(actor);
  const name = input.name.trim();
  const [existing] = await tx
    .select({ id: leadImportMappings.id, createdBy: leadImportMappings.createdBy, name: leadImportMappings.name })
    .from(leadImportMappings)
    .where(and(eq(leadImportMappings.workspaceId, actor.workspaceId), sql`lower(${leadImportMappings.name}) = lower(${name})`));
  if (existing) {
    if (!mayChange(actor, existing.createdBy)) {
      throw new AppError("conflict", `A teammate already saved a mapping named “${existing.name}”. Choose another name.`, {
        name: ["Name taken."],
      });
    }
    await tx
      .update(leadImportMappings)
      .set({ name, columns: toStoredColumns(input.columns) })
      .where(and(eq(leadImportMappings.id, existing.id), eq(leadImportMappings.workspaceId, actor.workspaceId)));
    return { id: existing.id };
  }
  try {
    const [row] = await tx
      .insert(leadImportMappings)
      .values({ workspaceId: actor.workspaceId, createdBy: actor.userId, name, columns: toStoredColumns(input.columns) })
      .returning({ id: leadImportMappings.id });
    return { id: row!.id };
  } catch (error) {
    // Someone saved the same name between the look-up and the insert (the unique index decides).
    if (sqlStateOf(error) === "23505") throw new AppError("conflict", `A mapping named “${name}” was just saved. Choose another name.`);
    throw error;
  }
}

export async function deleteImportMapping(tx: Executor, actor: Actor, { mappingId }: { mappingId: string }): Promise<void> {
  assertImporter(actor);
  const [mapping] = await tx
    .select({ createdBy: leadImportMappings.createdBy })
    .from(leadImportMappings)
    .where(and(eq(leadImportMappings.id, mappingId), eq(leadImportMappings.workspaceId, actor.workspaceId)));
  if (!mapping) throw notFound(NOT_FOUND);
  if (!mayChange(actor, mapping.createdBy)) throw forbidden("Only the person who saved this mapping, or an admin, can delete it.");
  await tx
    .delete(leadImportMappings)
    .where(and(eq(leadImportMappings.id, mappingId), eq(leadImportMappings.workspaceId, actor.workspaceId)));
}
