import { sql } from "drizzle-orm";
import { index, jsonb, pgPolicy, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { hasRoleIn, isMemberOf } from "./_rls";
import { workspaces } from "./workspaces";

/** Append-only: there is no update or delete policy, so members can never rewrite history. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id").references(() => authUsers.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_workspace_created_idx").on(t.workspaceId, t.createdAt.desc()),
    pgPolicy("audit_log_admins_select", { for: "select", to: authenticatedRole, using: hasRoleIn(t.workspaceId, ["admin"]) }),
    pgPolicy("audit_log_members_insert_own", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${isMemberOf(t.workspaceId)} and ${t.actorId} = ${authUid}`,
    }),
  ],
);
