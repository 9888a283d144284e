import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db";
import { invitations } from "@/db/schema";

export async function listOpenInvitations(tx: Executor, { workspaceId }: { workspaceId: string }) {
  return tx
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
    })
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt));
}
