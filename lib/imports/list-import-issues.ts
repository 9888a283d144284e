import "server-only";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Database } from "@/db";
import { leadImportIssues, leadImportRows, leadImports } from "@/db/schema";
import type { ImportIssueOutcome } from "@/db/schema/lead-import-enums";
import { reasonInWords, withDetail } from "./import-views";

export type ImportIssueRow = {
  rowNumber: number;
  outcome: ImportIssueOutcome;
  reason: string;
  /** The reason in words, with the row's detail (the issues CSV's Reason cell). */
  message: string;
  /** The row's values as the file had them, by its header (blank or repeated names as `Column n`); null when not stored. */
  fields: Record<string, string> | null;
};

export type ImportIssuesPage = { rows: ImportIssueRow[]; nextAfter: number | null };

export const IMPORT_ISSUES_PAGE = 100;

/**
 * The skipped and failed rows of an import in file order, a page of `limit` after row `after`
 * (keyset on the row number), as the member may read them (RLS: importers and analysts); null when the
 * import is not found in the workspace. The paged form of the issues CSV (open-import-issues.ts).
 */
export async function listImportIssues(
  tx: Database,
  input: { workspaceId: string; importId: string; after: number; outcomes: ImportIssueOutcome[]; limit?: number },
): Promise<ImportIssuesPage | null> {
  const limit = input.limit ?? IMPORT_ISSUES_PAGE;
  const [imp] = await tx
    .select({ headers: leadImports.headers })
    .from(leadImports)
    .where(and(eq(leadImports.id, input.importId), eq(leadImports.workspaceId, input.workspaceId)));
  if (!imp) return null;
  const rows = await tx
    .select({
      rowNumber: leadImportIssues.rowNumber,
      outcome: leadImportIssues.outcome,
      reason: leadImportIssues.reason,
      detail: leadImportIssues.detail,
      fields: leadImportRows.fields,
    })
    .from(leadImportIssues)
    .leftJoin(
      leadImportRows,
      and(
        eq(leadImportRows.importId, leadImportIssues.importId),
        eq(leadImportRows.workspaceId, leadImportIssues.workspaceId),
        eq(leadImportRows.rowNumber, leadImportIssues.rowNumber),
      ),
    )
    .where(
      and(
        eq(leadImportIssues.importId, input.importId),
        eq(leadImportIssues.workspaceId, input.workspaceId),
        gt(leadImportIssues.rowNumber, input.after),
        inArray(leadImportIssues.outcome, input.outcomes),
      ),
    )
    .orderBy(asc(leadImportIssues.rowNumber))
    .limit(limit + 1);
  const names = columnNames(imp.headers);
  const page = rows.slice(0, limit).map((row) => {
    return {
      rowNumber: row.rowNumber,
      outcome: row.outcome,
      reason: row.reason,
      message: withDetail(reasonInWords(row.outcome, row.reason), row.detail),
      fields: row.fields ? Object.fromEntries(row.fields.map((value, i) => [names[i] ?? `Column ${i + 1}`, value])) : null,
    };
  });
  return { rows: page, nextAfter: rows.length > limit ? page.at(-1)!.rowNumber : null };
}

/** The header's names, a blank or repeated one as `Column n` (its position), so each value keeps its own key. */
function columnNames(headers: readonly string[]): string[] {
  const seen = new Set<string>();
  return headers.map((header, i) => {
    const name = header.trim();
    const key = name === "" || seen.has(name) ? `Column ${i + 1}` : name;
    seen.add(key);
    return key;
  });
}
