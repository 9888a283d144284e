import "server-only";
import { desc } from "drizzle-orm";
import type { Executor } from "@/db";
import { invitations } from "@/db/schema";
import { openInvitationsOf } from "./open-invitations";

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
    .where(openInvitationsOf(workspaceId))
    .orderBy(desc(invitations.createdAt));
}
