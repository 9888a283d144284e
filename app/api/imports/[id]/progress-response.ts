import "server-only";
import { z } from "zod";
import { withUserTx } from "@/db";
import { hasPermission, type Session } from "@/lib/auth/session";
import { getLeadImportProgress } from "@/lib/imports/get-lead-import";
import { actionsPerUser } from "@/lib/rate-limit/policies";
import { refuseOverLimit } from "@/lib/rate-limit/request-limit";

const noStore = { "cache-control": "no-store" };

/**
 * GET /api/imports/<id>: the live progress of an import (status, cursor, the four counts),
 * polled by its page. Each poll counts against the person's requests per minute, as an action
 * does (RATE_LIMIT_ACTIONS_PER_MINUTE): a page polling every second uses a tenth of it.
 */
export async function importProgressResponse(session: Session | null, rawImportId: string): Promise<Response> {
  if (!hasPermission(session, "imports.read")) {
    return Response.json(
      { message: "Log in with a role that sees imports (analyst or above) to follow this import." },
      { status: 403, headers: noStore },
    );
  }
  const limited = await refuseOverLimit(actionsPerUser(), session.userId);
  if (limited) return limited;
  const importId = z.uuid().safeParse(rawImportId);
  const progress = importId.success
    ? await withUserTx(session.claims, (tx) =>
        getLeadImportProgress(tx, { workspaceId: session.current.workspaceId, importId: importId.data }),
      )
    : null;
  if (!progress) return Response.json({ message: "That import was not found." }, { status: 404, headers: noStore });
  return Response.json(progress, { headers: noStore });
}
