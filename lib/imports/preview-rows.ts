import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { leadImportRows } from "@/db/schema";

export type PreviewRow = { rowNumber: number; fields: string[] };

/** The first rows of an import's file as uploaded (under RLS: importers of its workspace only), for the mapping page's preview. */
export async function listImportPreviewRows(
  tx: Database,
  { workspaceId, importId, limit = 20 }: { workspaceId: string; importId: string; limit?: number },
): Promise<PreviewRow[]> {
  return tx
    .select({ rowNumber: leadImportRows.rowNumber, fields: leadImportRows.fields })
    .from(leadImportRows)
    .where(and(eq(leadImportRows.importId, importId), eq(leadImportRows.workspaceId, workspaceId)))
    .orderBy(asc(leadImportRows.rowNumber))
    .limit(limit);
}
