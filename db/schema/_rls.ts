import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { WorkspaceRole } from "@/lib/auth/roles";

/**
 * SQL fragments for RLS policies. The helpers live in the `private` schema
 * (db/migrations/0000_private_helpers.sql): SECURITY DEFINER with a pinned search_path, so
 * a policy on workspace_members can ask about membership without recursing into itself.
 */
export function isMemberOf(workspaceId: AnyPgColumn): SQL {
  return sql`private.is_workspace_member(${workspaceId})`;
}

export function hasRoleIn(workspaceId: AnyPgColumn, roles: readonly WorkspaceRole[]): SQL {
  const list = sql.raw(roles.map((r) => `'${r}'`).join(","));
  return sql`private.has_workspace_role(${workspaceId}, array[${list}]::text[])`;
}

/**
 * The same checks for large tables: the membership array is computed once per statement (an
 * InitPlan) and each row costs an array comparison, not a function call. Use these on tables
 * that are scanned or counted in bulk (leads, companies, activities).
 */
export function inMemberWorkspaces(workspaceId: AnyPgColumn): SQL {
  return sql`${workspaceId} = any ((select private.member_workspace_ids())::uuid[])`;
}

/** Whether a user shares a workspace with the caller, as inMemberWorkspaces: one InitPlan per statement. */
export function isTeammate(userId: AnyPgColumn): SQL {
  return sql`${userId} = any ((select private.teammate_ids())::uuid[])`;
}

export function inWorkspacesWithRole(workspaceId: AnyPgColumn, roles: readonly WorkspaceRole[]): SQL {
  const list = sql.raw(roles.map((r) => `'${r}'`).join(","));
  return sql`${workspaceId} = any ((select private.workspace_ids_with_role(array[${list}]::text[]))::uuid[])`;
}
