import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { profiles, workspaceMembers } from "@/db/schema";
import type { WorkspaceRole } from "@/lib/auth/roles";

export type TeamMember = {
  memberId: string;
  userId: string;
  email: string;
  fullName: string | null;
  role: WorkspaceRole;
  joinedAt: Date;
};

export async function listMembers(tx: Executor, { workspaceId }: { workspaceId: string }): Promise<TeamMember[]> {
  return tx
    .select({
      memberId: workspaceMembers.id,
      userId: workspaceMembers.userId,
      email: profiles.email,
      fullName: profiles.fullName,
      role: workspaceMembers.role,
      joinedAt: workspaceMembers.createdAt,
    })
    .from(workspaceMembers)
    .innerJoin(profiles, eq(profiles.id, workspaceMembers.userId))
    .where(eq(workspaceMembers.workspaceId, workspaceId))
    .orderBy(asc(profiles.email));
}
