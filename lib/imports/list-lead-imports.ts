import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db";
import { leadImports, profiles } from "@/db/schema";
import type { ImportSummary } from "./import-views";

export const IMPORT_HISTORY_PAGE = 25;

/** A history row: the summary, and why a failed import failed (shown under its status). */
export type ImportHistoryItem = ImportSummary & { error: string | null };
export type ImportHistoryPage = { imports: ImportHistoryItem[]; nextBefore: string | null };

/**
 * The workspace's imports, newest first, a page at a time (keyset on created_at, id, the
 * order of lead_imports_workspace_created_idx). `before` is the id of the last import of the
 * previous page: its position is read in the database, so no timestamp passes through the URL.
 * An unknown `before` (another workspace's, or deleted) gives an empty page.
 */
export async function listLeadImports(
  tx: Database,
  { workspaceId, before, limit = IMPORT_HISTORY_PAGE }: { workspaceId: string; before?: string; limit?: number },
): Promise<ImportHistoryPage> {
  if (before !== undefined && !z.uuid().safeParse(before).success) return { imports: [], nextBefore: null };
  const after = before
    ? sql`(${leadImports.createdAt}, ${leadImports.id}) < (select p.created_at, p.id from ${leadImports} p where p.id = ${before} and p.workspace_id = ${workspaceId})`
    : undefined;
  const rows = await tx
    .select({
      id: leadImports.id,
      fileName: leadImports.fileName,
      fileSize: leadImports.fileSize,
      status: leadImports.status,
      preset: leadImports.preset,
      source: leadImports.source,
      sandbox: leadImports.sandbox,
      rules: leadImports.rules,
      createdById: leadImports.createdBy,
      createdByName: sql<string | null>`coalesce(${profiles.fullName}, ${profiles.email})`,
      createdAt: leadImports.createdAt,
      startedAt: leadImports.startedAt,
      finishedAt: leadImports.finishedAt,
      pausedAt: leadImports.pausedAt,
      pausedMs: leadImports.pausedMs,
      totalRows: leadImports.totalRows,
      processedRows: leadImports.processedRows,
      inserted: leadImports.inserted,
      updated: leadImports.updated,
      skipped: leadImports.skipped,
      failed: leadImports.failed,
      error: leadImports.error,
    })
    .from(leadImports)
    .leftJoin(profiles, eq(profiles.id, leadImports.createdBy))
    .where(and(eq(leadImports.workspaceId, workspaceId), after))
    .orderBy(desc(leadImports.createdAt), desc(leadImports.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(({ createdById, createdByName, ...rest }) => ({
    ...rest,
    createdBy: createdById ? { id: createdById, name: createdByName ?? "A former member" } : null,
  }));
  return { imports: page, nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
