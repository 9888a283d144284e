import "server-only";
import { serviceDb } from "@/db";
import { exportAnalyticsTable } from "@/lib/analytics/export-analytics";
import { REPORT_TABLE_IDS, type ReportTableId } from "@/lib/analytics/report-tables";
import { can } from "@/lib/auth/permissions";
import type { Session } from "@/lib/auth/session";
import { isSessionLive } from "@/lib/auth/session-liveness";
import { csvDownload } from "@/lib/csv/csv-download";
import { workspaceLimit } from "@/lib/rate-limit/policies";
import { refuseOverLimit } from "@/lib/rate-limit/request-limit";
import { PAGE_WORKSPACE_PARAM, switchedWorkspaceRefusal } from "@/lib/auth/page-workspace";

function message(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

const isReportTable = (table: string | null): table is ReportTableId =>
  table !== null && (REPORT_TABLE_IDS as readonly string[]).includes(table);

/**
 * GET /api/analytics/export?table=funnel&from=…&to=…&tz=…: one table of the analytics page as a
 * CSV. The role is checked before anything is counted or read; the request then counts against
 * the workspace's exports per hour (RATE_LIMIT_EXPORTS_PER_HOUR, the bucket of every export).
 */
export async function analyticsExportResponse(session: Session | null, params: URLSearchParams): Promise<Response> {
  if (!session || !(await isSessionLive(serviceDb(), session.claims)))
    return message(401, "Your session has ended. Log in again to export.");
  const current = session.current;
  if (!current) return message(403, "You are not a member of any workspace yet.");
  const switched = switchedWorkspaceRefusal(session, params.get(PAGE_WORKSPACE_PARAM), "nothing was exported");
  if (switched) return message(409, switched);
  if (!can(current.role, "data.export") || !can(current.role, "analytics.read")) {
    return message(403, "Your role cannot export analytics. Ask an admin for the analyst role or above.");
  }
  const table = params.get("table");
  if (!isReportTable(table)) return message(400, `Say which table to export: ${REPORT_TABLE_IDS.join(", ")}.`);
  const limited = await refuseOverLimit(workspaceLimit("exports"), current.workspaceId, "text");
  if (limited) return limited;
  const actor = { claims: session.claims, workspaceId: current.workspaceId, userId: session.userId, role: current.role };
  const range = Object.fromEntries([...params].filter(([name]) => name !== PAGE_WORKSPACE_PARAM));
  const exported = await exportAnalyticsTable(actor, range, table);
  const fileName = `analytics-${table}-${current.workspaceSlug}-${exported.range.from}-${exported.range.to}.csv`;
  return csvDownload(exported.csv, fileName, exported.rowCount);
}
