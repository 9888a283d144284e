import { count, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { workspaceMembers, workspaces } from "@/db/schema";
import { ROLE_LABELS, WORKSPACE_ROLES, type WorkspaceRole } from "@/lib/auth/roles";

/** What the demo job knows about a workspace; plain JSON, as a step result must be. */
export type WorkspaceFacts = {
  workspaceId: string;
  name: string;
  createdAt: string;
  members: number;
  byRole: Record<WorkspaceRole, number>;
};

export type WorkspaceDigest = { workspaceId: string; title: string; lines: string[] };

/** Reads one workspace with the service executor, scoped by its id; null when it is gone. */
export async function loadWorkspaceFacts(db: Executor, { workspaceId }: { workspaceId: string }): Promise<WorkspaceFacts | null> {
  const [workspace] = await db
    .select({ name: workspaces.name, createdAt: workspaces.createdAt })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!workspace) return null;
  const roles = await db
    .select({ role: workspaceMembers.role, n: count() })
    .from(workspaceMembers)
    .where(eq(workspaceMembers.workspaceId, workspaceId))
    .groupBy(workspaceMembers.role);
  const byRole = Object.fromEntries(WORKSPACE_ROLES.map((r) => [r, 0])) as Record<WorkspaceRole, number>;
  for (const { role, n } of roles) byRole[role] = n;
  return {
    workspaceId,
    name: workspace.name,
    createdAt: workspace.createdAt.toISOString(),
    members: roles.reduce((sum, r) => sum + r.n, 0),
    byRole,
  };
}

export function composeDigest(facts: WorkspaceFacts): WorkspaceDigest {
  const team = WORKSPACE_ROLES.filter((r) => facts.byRole[r] > 0)
    .reverse()
    .map((r) => `${facts.byRole[r]} ${ROLE_LABELS[r].toLowerCase()}${facts.byRole[r] === 1 ? "" : "s"}`);
  return {
    workspaceId: facts.workspaceId,
    title: `Welcome to ${facts.name}`,
    lines: [
      facts.members === 1 ? "You are the only member so far: invite your team from Settings → Team." : `Your team: ${team.join(", ")}.`,
      "Next: import leads from a CSV or Apollo, then draft a campaign for approval.",
    ],
  };
}
