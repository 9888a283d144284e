import type { WorkspaceRole } from "@/lib/auth/roles";
import { WORKSPACE_ROLES } from "@/lib/auth/roles";

/** What an API key may do: read, or read and write. Never administer (DESIGN.md §5's admin rights stay with people). */
export const API_KEY_SCOPES = ["read", "read_write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  read: "Read",
  read_write: "Read and write",
};

/**
 * The highest role a key of each scope acts with. Reading is an analyst's: everything a viewer
 * reads plus the analytics, which is what a reporting tool or a warehouse sync reads a key
 * for (an analyst writes nothing). Writing is a manager's (edit and assign every lead, import,
 * enrich, draft, add to the suppression list), never an admin's.
 */
export const SCOPE_ROLES: Record<ApiKeyScope, WorkspaceRole> = { read: "analyst", read_write: "manager" };

/** The lower of the key creator's role and the scope's: a demoted creator's keys are demoted too. */
export function cappedRole(memberRole: WorkspaceRole, scope: ApiKeyScope): WorkspaceRole {
  const cap = SCOPE_ROLES[scope];
  return WORKSPACE_ROLES.indexOf(memberRole) < WORKSPACE_ROLES.indexOf(cap) ? memberRole : cap;
}
