import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { SUPPRESSION_KINDS, SUPPRESSION_REASONS } from "./campaign-enums";
import { workspaces } from "./workspaces";

export const suppressionKind = pgEnum("suppression_kind", SUPPRESSION_KINDS);
export const suppressionReason = pgEnum("suppression_reason", SUPPRESSION_REASONS);

/**
 * Addresses and whole domains a workspace never emails (DESIGN.md §7.3): added by managers and
 * admins (`suppression.add`; removed and imported by admins, `suppression.manage`) and by the sending paths from unsubscribes, hard bounces and
 * complaints. Values are stored lower-cased and trimmed; a domain without "@".
 */
export const suppressions = pgTable(
  "suppressions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: suppressionKind("kind").notNull(),
    value: text("value").notNull(),
    reason: suppressionReason("reason").notNull().default("manual"),
    note: text("note"),
    createdBy: uuid("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("suppressions_workspace_value_key").on(t.workspaceId, t.kind, t.value),
    index("suppressions_workspace_created_idx").on(t.workspaceId, t.createdAt.desc()),
    check("suppressions_value_normalised", sql`${t.value} = lower(btrim(${t.value})) and char_length(${t.value}) between 3 and 320`),
    check(
      "suppressions_value_shape",
      sql`(${t.kind} = 'email' and ${t.value} ~ '^[^@\\s]+@[^@\\s]+$') or (${t.kind} = 'domain' and ${t.value} ~ '^[^@\\s]+\\.[^@\\s]+$')`,
    ),
    check("suppressions_note_length", sql`char_length(${t.note}) <= 500`),
    pgPolicy("suppressions_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    // People add entries as themselves, by hand or from a file: unsubscribes, bounces and
    // complaints are what links and providers report (the service connection), and Undo on the
    // unsubscribe page and the bounce rules read those reasons.
    pgPolicy("suppressions_admins_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, ["admin"])} and ${t.reason} in ('manual', 'import') and ${t.createdBy} = ${authUid}`,
    }),
    // Managers add by hand only (`suppression.add`, lib/auth/permissions.ts); admins also import.
    pgPolicy("suppressions_managers_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, ["manager"])} and ${t.reason} = 'manual' and ${t.createdBy} = ${authUid}`,
    }),
    pgPolicy("suppressions_admins_delete", {
      for: "delete",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
  ],
);
