import "server-only";
import { z } from "zod";
import { withUserTx } from "@/db";
import { hasPermission, type Session } from "@/lib/auth/session";
import { getBulkOperation } from "@/lib/leads/bulk/get-bulk-operation";
import { actionsPerUser } from "@/lib/rate-limit/policies";
import { refuseOverLimit } from "@/lib/rate-limit/request-limit";

const noStore = { "cache-control": "no-store" };

/**
 * GET /api/leads/bulk-operations/<id>: the progress of one of the caller's bulk changes, polled
 * by the bulk action bar. Each poll counts against the person's requests per minute, as an
 * action does (RATE_LIMIT_ACTIONS_PER_MINUTE): polling every 700 ms uses 86 of the 600.
 */
export async function bulkOperationProgressResponse(session: Session | null, rawOperationId: string): Promise<Response> {
  if (!hasPermission(session, "leads.edit_own")) {
    return Response.json({ message: "Log in with a role that edits leads to follow bulk changes." }, { status: 403, headers: noStore });
  }
  const limited = await refuseOverLimit(actionsPerUser(), session.userId);
  if (limited) return limited;
  const operationId = z.uuid().safeParse(rawOperationId);
  const progress = operationId.success
    ? await withUserTx(session.claims, (tx) =>
        getBulkOperation(tx, { workspaceId: session.current.workspaceId, operationId: operationId.data }),
      )
    : null;
  if (!progress) return Response.json({ message: "That bulk change was not found." }, { status: 404, headers: noStore });
  return Response.json(progress, { headers: noStore });
}
