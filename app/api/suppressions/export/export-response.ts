import "server-only";
import { serviceDb, withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { Session } from "@/lib/auth/session";
import { isSessionLive } from "@/lib/auth/session-liveness";
import { csvDownload } from "@/lib/csv/csv-download";
import { exportSuppressions } from "@/lib/suppressions/export-suppressions";
import { workspaceLimit } from "@/lib/rate-limit/policies";
import { refuseOverLimit } from "@/lib/rate-limit/request-limit";
import { PAGE_WORKSPACE_PARAM, switchedWorkspaceRefusal } from "@/lib/auth/page-workspace";

function message(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/** GET /api/suppressions/export: the current workspace's suppression list as a CSV (an export: RATE_LIMIT_EXPORTS_PER_HOUR). */
export async function suppressionExportResponse(session: Session | null, params = new URLSearchParams()): Promise<Response> {
  if (!session || !(await isSessionLive(serviceDb(), session.claims)))
    return message(401, "Your session has ended. Log in again to export.");
  const current = session.current;
  if (!current) return message(403, "You are not a member of any workspace yet.");
  const switched = switchedWorkspaceRefusal(session, params.get(PAGE_WORKSPACE_PARAM), "nothing was exported");
  if (switched) return message(409, switched);
  if (!can(current.role, "data.export")) {
    return message(403, "Your role cannot export the suppression list. Ask an admin for the analyst role or above.");
  }
  const limited = await refuseOverLimit(workspaceLimit("exports"), current.workspaceId, "text");
  if (limited) return limited;
  const actor = { workspaceId: current.workspaceId, userId: session.userId, role: current.role };
  const exported = await withUserTx(session.claims, (tx) => exportSuppressions(tx, actor));
  const day = new Date().toISOString().slice(0, 10);
  return csvDownload(exported.csv, `suppressions-${current.workspaceSlug}-${day}.csv`, exported.rowCount);
}
