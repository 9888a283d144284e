import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { canOwnLeads } from "./lead-permissions";

/**
 * Whether `userId` may be given leads of the workspace: "not_member" when they are not in it,
 * "cannot_own" when their role reads leads but does not work them (canOwnLeads), null when they
 * may. The owner menu, the API's PATCH and bulk assign refuse alike.
 */
export async function leadOwnerRefusal(tx: Executor, workspaceId: string, userId: string): Promise<"not_member" | "cannot_own" | null> {
  const [member] = await tx
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  if (!member) return "not_member";
  return canOwnLeads(member.role) ? null : "cannot_own";
}

export function cannotOwnLeads(): AppError {
  return new AppError("invalid_input", "That teammate can read leads but not work them, so they cannot own any.", {
    ownerId: ["Choose a sales rep, a manager or an admin."],
  });
}
