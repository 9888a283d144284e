import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgEnum, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { workspaces } from "./workspaces";

export const SAVED_VIEW_TABLES = ["leads", "companies"] as const;
export const savedViewTable = pgEnum("saved_view_table", SAVED_VIEW_TABLES);

/**
 * A named table state (filters, sort, columns) as its URL query holds it, parsed again by the
 * table's zod schema whenever it is applied. Private to its owner unless shared with the
 * workspace; only the owner changes or deletes it.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    tableName: savedViewTable("table_name").notNull(),
    name: text("name").notNull(),
    shared: boolean("shared").notNull().default(false),
    state: jsonb("state").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("saved_views_owner_name_key").on(t.workspaceId, t.ownerId, t.tableName, sql`lower(${t.name})`),
    index("saved_views_workspace_table_idx").on(t.workspaceId, t.tableName),
    check("saved_views_name_length", sql`char_length(btrim(${t.name})) between 1 and 80`),
    check("saved_views_state_object", sql`jsonb_typeof(${t.state}) = 'object' and pg_column_size(${t.state}) <= 16384`),
    // A table's URL query: every value a string, as the pages read it (a member's own token may write the row).
    check("saved_views_state_strings", sql`not jsonb_path_exists(${t.state}, 'strict $.* ? (@.type() != "string")')`),
    pgPolicy("saved_views_select_own_or_shared", {
      for: "select",
      to: authenticatedRole,
      using: sql`${inMemberWorkspaces(t.workspaceId)} and (${t.ownerId} = ${authUid} or ${t.shared})`,
    }),
    pgPolicy("saved_views_insert_own", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inMemberWorkspaces(t.workspaceId)} and ${t.ownerId} = ${authUid}`,
    }),
    pgPolicy("saved_views_update_own", {
      for: "update",
      to: authenticatedRole,
      using: sql`${t.ownerId} = ${authUid}`,
      withCheck: sql`${inMemberWorkspaces(t.workspaceId)} and ${t.ownerId} = ${authUid}`,
    }),
    pgPolicy("saved_views_delete_own", { for: "delete", to: authenticatedRole, using: sql`${t.ownerId} = ${authUid}` }),
    // An admin tidies the shared views (one a member who has left made, which nobody else could
    // change): shared ones only, never a member's private view.
    pgPolicy("saved_views_delete_shared_admin", {
      for: "delete",
      to: authenticatedRole,
      using: sql`${t.shared} and ${inWorkspacesWithRole(t.workspaceId, ["admin"])}`,
    }),
  ],
);
