import "server-only";
import { z } from "zod";
import { serviceDb } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { Session } from "@/lib/auth/session";
import { isSessionLive } from "@/lib/auth/session-liveness";
import { csvDownload } from "@/lib/csv/csv-download";
import { AppError } from "@/lib/errors";
import { openImportIssues } from "@/lib/imports/open-import-issues";
import { workspaceLimit } from "@/lib/rate-limit/policies";
import { refuseOverLimit } from "@/lib/rate-limit/request-limit";

function message(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/** `leads.csv` → `leads-problem-rows.csv`, keeping letters, digits, spaces, dots, dashes and underscores. */
export function issuesFileName(fileName: string): string {
  const base =
    fileName
      .replace(/\.[^.]*$/, "")
      .replaceAll(/[^\p{L}\p{N} ._-]+/gu, "_")
      .slice(0, 120) || "import";
  return `${base}-problem-rows.csv`;
}

/**
 * GET /api/imports/<id>/issues.csv: the import's skipped and failed rows with their reason,
 * in the file's own columns. The session and `imports.read` are checked here before anything
 * is read, and again by the service and RLS; another workspace's import is a 404. A download
 * counts as one of the workspace's exports (RATE_LIMIT_EXPORTS_PER_HOUR).
 */
export async function importIssuesResponse(session: Session | null, importId: string): Promise<Response> {
  if (!session || !(await isSessionLive(serviceDb(), session.claims)))
    return message(401, "Your session has ended. Log in again to download the rows.");
  const current = session.current;
  if (!current) return message(403, "You are not a member of any workspace yet.");
  if (!can(current.role, "imports.read")) return message(403, "Your role cannot see imports. Ask an admin for the analyst role or above.");
  if (!z.uuid().safeParse(importId).success) return message(404, "That import was not found.");
  const limited = await refuseOverLimit(workspaceLimit("exports"), current.workspaceId, "text");
  if (limited) return limited;
  try {
    const file = await openImportIssues({ claims: session.claims, workspaceId: current.workspaceId, role: current.role }, importId);
    if (!file) return message(404, "That import was not found.");
    return csvDownload(file.stream, issuesFileName(file.fileName), file.rowCount);
  } catch (error) {
    if (error instanceof AppError) return message(error.code === "forbidden" ? 403 : 400, error.message);
    throw error;
  }
}
