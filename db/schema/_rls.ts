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
