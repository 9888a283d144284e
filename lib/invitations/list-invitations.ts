import "server-only";
import { desc, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { invitations } from "@/db/schema";
import { openInvitationsOf } from "./open-invitations";

/**
 * The workspace's invitations neither accepted nor revoked, newest first. An expired one stays
 * listed, marked `expired` (its link no longer works), so that an admin sees who never joined
 * and can send a new link.
 */
export async function listOpenInvitations(tx: Executor, { workspaceId }: { workspaceId: string }) {
  return tx
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
      createdAt: invitations.createdAt,
    })
    .from(invitations)
    .where(openInvitationsOf(workspaceId))
    .orderBy(desc(invitations.createdAt));
}
