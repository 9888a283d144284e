import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { workspaceSlug } from "./slug";

type Input = { userId: string; name: string };

/**
 * Any signed-in user may start a workspace and becomes its admin. Runs in the user's RLS-scoped
 * transaction (withUserTx): RLS lets nobody insert a workspace or add themselves to one, so
 * the one allowed move is the SECURITY DEFINER function private.create_workspace (migration
 * 0005), which acts for auth.uid() only. The audit entry is written in the same transaction.
 */
export async function createWorkspace(tx: Executor, { userId, name }: Input): Promise<{ workspaceId: string; workspaceName: string }> {
  const [row] = await tx.execute<{ id: string }>(sql`select private.create_workspace(${name}, ${workspaceSlug(name)}) as id`);
  if (!row) throw new Error("create_workspace returned no id");
  await recordAudit(tx, {
    workspaceId: row.id,
    actorId: userId,
    action: "workspace.created",
    targetType: "workspace",
    targetId: row.id,
    metadata: { name },
  });
  return { workspaceId: row.id, workspaceName: name };
}
