import { z } from "zod";
import { getSession } from "@/app/_server/session";
import { withUserTx } from "@/db";
import { hasPermission } from "@/lib/auth/session";
import { getBulkOperation } from "@/lib/leads/bulk/get-bulk-operation";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

/** The progress of one of the caller's bulk changes, polled by the bulk action bar. */
export async function GET(_request: Request, { params }: { params: Promise<{ operationId: string }> }) {
  const session = await getSession();
  if (!hasPermission(session, "leads.edit_own")) {
    return Response.json({ message: "Log in with a role that edits leads to follow bulk changes." }, { status: 403, headers: noStore });
  }
  const operationId = z.uuid().safeParse((await params).operationId);
  const progress = operationId.success
    ? await withUserTx(session.claims, (tx) =>
        getBulkOperation(tx, { workspaceId: session.current.workspaceId, operationId: operationId.data }),
      )
    : null;
  if (!progress) return Response.json({ message: "That bulk change was not found." }, { status: 404, headers: noStore });
  return Response.json(progress, { headers: noStore });
}
