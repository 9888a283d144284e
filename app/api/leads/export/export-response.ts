import "server-only";
import { z } from "zod";
import { serviceDb } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { Session } from "@/lib/auth/session";
import { isSessionLive } from "@/lib/auth/session-liveness";
import { csvDownload } from "@/lib/csv/csv-download";
import { AppError } from "@/lib/errors";
import { MAX_SELECTED_IDS } from "@/lib/leads/bulk/schemas";
import { openLeadExport } from "@/lib/leads/export/open-lead-export";
import { parseLeadListState } from "@/lib/leads/list-state";
import { workspaceLimit } from "@/lib/rate-limit/policies";
import { refuseOverLimit } from "@/lib/rate-limit/request-limit";
import { PAGE_WORKSPACE_PARAM, switchedWorkspaceRefusal } from "@/lib/auth/page-workspace";

const ZIds = z
  .string()
  .transform((s) => s.split(",").filter(Boolean))
  .pipe(z.array(z.uuid()).min(1).max(MAX_SELECTED_IDS));

function message(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * GET /api/leads/export?<the table's URL query>[&ids=…]: the CSV of that view, or of the
 * selected leads in it. The permission is checked here, before anything is read, and again by
 * the export service, and the workspace's exports per hour (RATE_LIMIT_EXPORTS_PER_HOUR). Every
 * refusal is a sentence the person can act on.
 */
export async function exportResponse(session: Session | null, params: URLSearchParams): Promise<Response> {
  if (!session || !(await isSessionLive(serviceDb(), session.claims)))
    return message(401, "Your session has ended. Log in again to export.");
  const current = session.current;
  if (!current) return message(403, "You are not a member of any workspace yet.");
  // The link names the page's workspace: after a switch in another tab, this page's view is not the current workspace's.
  const switched = switchedWorkspaceRefusal(session, params.get(PAGE_WORKSPACE_PARAM), "nothing was exported");
  if (switched) return message(409, switched);
  if (!can(current.role, "data.export")) return message(403, "Your role cannot export leads. Ask an admin for the analyst role or above.");

  let ids: string[] | undefined;
  const rawIds = params.get("ids");
  if (rawIds !== null) {
    const parsed = ZIds.safeParse(rawIds);
    if (!parsed.success) return message(400, `The selection to export is not valid: send at most ${MAX_SELECTED_IDS} lead ids.`);
    ids = parsed.data;
  }
  const limited = await refuseOverLimit(workspaceLimit("exports"), current.workspaceId, "text");
  if (limited) return limited;
  const { state } = parseLeadListState(params);
  try {
    const exported = await openLeadExport(
      { claims: session.claims, workspaceId: current.workspaceId, userId: session.userId, role: current.role },
      { state, ids },
    );
    if (!exported.stream) return message(404, "There are no leads to export in this view, so no file was made.");
    const day = new Date().toISOString().slice(0, 10);
    return csvDownload(exported.stream, `leads-${current.workspaceSlug}-${day}.csv`, exported.rowCount);
  } catch (error) {
    if (error instanceof AppError) return message(error.code === "forbidden" ? 403 : 400, error.message);
    throw error;
  }
}
