import { z } from "zod";
import { getSession } from "@/app/_server/session";
import { withUserTx } from "@/db";
import { hasPermission } from "@/lib/auth/session";
import { getLeadImportProgress } from "@/lib/imports/get-lead-import";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

/** The live progress of an import (status, cursor, the four counts), polled by its page. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await getSession();
  if (!hasPermission(session, "imports.run")) {
    return Response.json({ message: "Log in with a role that imports leads to follow this import." }, { status: 403, headers: noStore });
  }
  const importId = z.uuid().safeParse((await params).id);
  const progress = importId.success
    ? await withUserTx(session.claims, (tx) =>
        getLeadImportProgress(tx, { workspaceId: session.current.workspaceId, importId: importId.data }),
      )
    : null;
  if (!progress) return Response.json({ message: "That import was not found." }, { status: 404, headers: noStore });
  return Response.json(progress, { headers: noStore });
}
