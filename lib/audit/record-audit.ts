import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

export type AuditEntry = {
  workspaceId: string;
  actorId: string | null;
  action: `${string}.${string}`;
  targetType: string;
  targetId?: string | null;
  metadata?: Record<string, unknown>;
};

/**
 * Written in the caller's transaction, so the entry exists exactly when the change does; through
 * the database's own function, as a person's token may not insert into the log (migration 0103).
 */
export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`select private.record_audit(${entry.workspaceId}::uuid, ${entry.actorId}::uuid, ${entry.action},
    ${entry.targetType}, ${entry.targetId ?? null}, ${JSON.stringify(entry.metadata ?? {})}::jsonb)`);
}
