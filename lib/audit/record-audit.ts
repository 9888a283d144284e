import "server-only";
import type { Executor } from "@/db";
import { auditLog } from "@/db/schema";

export type AuditEntry = {
  workspaceId: string;
  actorId: string | null;
  action: `${string}.${string}`;
  targetType: string;
  targetId?: string | null;
  metadata?: Record<string, unknown>;
};

/** Written in the caller's transaction, so the entry exists exactly when the change does. */
export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    workspaceId: entry.workspaceId,
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    metadata: entry.metadata ?? {},
  });
}
