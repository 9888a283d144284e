import { and, eq, isNull, type SQL } from "drizzle-orm";
import { invitations } from "@/db/schema";

/** Invitations of a workspace that are neither accepted nor revoked (expiry is checked on use). */
export function openInvitationsOf(workspaceId: string, ...more: SQL[]): SQL {
  return and(eq(invitations.workspaceId, workspaceId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), ...more)!;
}
