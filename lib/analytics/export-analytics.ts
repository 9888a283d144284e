import "server-only";
import { pipeline, Readable } from "node:stream";
import { withUserTx } from "@/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import { formulaSafeCsv } from "@/lib/csv/formula-safe-csv";
import { forbidden } from "@/lib/errors";
import { getAnalytics, type AnalyticsActor } from "./get-analytics";
import { reportTable, type ReportTableId } from "./report-tables";

/**
 * One table of the analytics page as a CSV (roles with data.export and analytics.read): the
 * same rows the page shows for the same range and filters, through the one formula-safe CSV
 * writer (a campaign or mailbox name can never run as a formula), audited.
 */
export async function exportAnalyticsTable(
  actor: AnalyticsActor & { userId: string },
  params: Record<string, string | string[] | undefined>,
  tableId: ReportTableId,
): Promise<{ rowCount: number; csv: ReadableStream<Uint8Array>; range: { from: string; to: string } }> {
  if (!can(actor.role, "data.export")) throw forbidden("Your role cannot export. Ask an admin for the analyst role or above.");
  const report = await getAnalytics(actor, params);
  const table = reportTable(report, tableId);
  await withUserTx(actor.claims, (tx) =>
    recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "analytics.exported",
      targetType: "analytics",
      metadata: { table: tableId, from: report.range.from, to: report.range.to, filters: report.range.filters, rows: table.rows.length },
    }),
  );
  const stream = pipeline(
    Readable.from(table.rows),
    formulaSafeCsv({ header: true, columns: table.columns.map((c) => c.label) }),
    () => {},
  );
  return {
    rowCount: table.rows.length,
    csv: Readable.toWeb(stream) as ReadableStream<Uint8Array>,
    range: { from: report.range.from, to: report.range.to },
  };
}
