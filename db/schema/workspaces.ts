import { sql } from "drizzle-orm";
import { showable } from "./_showable";
import {
  check,
  index,
  integer,
  numeric,
  pgEnum,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { WORKSPACE_ROLES } from "@/lib/auth/roles";
import { hasRoleIn, inMemberWorkspaces, isMemberOf, isTeammate } from "./_rls";

export const workspaceRole = pgEnum("workspace_role", WORKSPACE_ROLES);

function ownVerifiedProfile(id: AnyPgColumn, email: AnyPgColumn) {
  return sql`${id} = ${authUid} and ${email} = (select auth.jwt() ->> 'email')`;
}

export const profiles = pgTable(
  "profiles",
  {
    id: uuid("id")
      .primaryKey()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    fullName: text("full_name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    pgPolicy("profiles_select_self_or_teammates", {
      for: "select",
      to: authenticatedRole,
      using: sql`${t.id} = ${authUid} or ${isTeammate(t.id)}`,
    }),
    // The email shown to teammates is the verified one from the session, never typed in.
    pgPolicy("profiles_insert_self", { for: "insert", to: authenticatedRole, withCheck: ownVerifiedProfile(t.id, t.email) }),
    pgPolicy("profiles_update_self", {
      for: "update",
      to: authenticatedRole,
      using: sql`${t.id} = ${authUid}`,
      withCheck: ownVerifiedProfile(t.id, t.email),
    }),
  ],
);

export const workspaces = pgTable(
  "workspaces",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    /** IANA zone of the workspace: sending windows use it for leads without one of their own. */
    timeZone: text("time_zone").notNull().default("UTC"),
    /**
     * The bounce breaker (DESIGN.md §7.7, admins edit in Settings → Sending): a campaign pauses
     * itself when, over its last `breaker_min_sends`+ sends, the hard-bounce or complaint rate
     * passes these fractions (0.02 = 2 %).
     */
    bounceRateThreshold: numeric("bounce_rate_threshold", { precision: 6, scale: 5, mode: "number" }).notNull().default(0.02),
    complaintRateThreshold: numeric("complaint_rate_threshold", { precision: 6, scale: 5, mode: "number" }).notNull().default(0.001),
    breakerMinSends: integer("breaker_min_sends").notNull().default(100),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("workspaces_name_length", sql`char_length(${t.name}) between 1 and 80`),
    check("workspaces_name_showable", showable(t.name)),
    check("workspaces_slug_format", sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
    check("workspaces_time_zone_length", sql`char_length(${t.timeZone}) between 1 and 64`),
    check("workspaces_bounce_threshold_range", sql`${t.bounceRateThreshold} > 0 and ${t.bounceRateThreshold} <= 0.5`),
    check("workspaces_complaint_threshold_range", sql`${t.complaintRateThreshold} > 0 and ${t.complaintRateThreshold} <= 0.5`),
    check("workspaces_breaker_min_sends_range", sql`${t.breakerMinSends} between 20 and 100000`),
    pgPolicy("workspaces_select_members", { for: "select", to: authenticatedRole, using: isMemberOf(t.id) }),
    pgPolicy("workspaces_update_admins", {
      for: "update",
      to: authenticatedRole,
      using: hasRoleIn(t.id, ["admin"]),
      withCheck: hasRoleIn(t.id, ["admin"]),
    }),
  ],
);

export const workspaceMembers = pgTable(
  "workspace_members",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    role: workspaceRole("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("workspace_members_workspace_user_key").on(t.workspaceId, t.userId),
    index("workspace_members_user_idx").on(t.userId),
    // Read on every lead table page (its owners' names): membership as one array per statement.
    pgPolicy("workspace_members_select_members", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy("workspace_members_insert_admins", { for: "insert", to: authenticatedRole, withCheck: hasRoleIn(t.workspaceId, ["admin"]) }),
    pgPolicy("workspace_members_update_admins", {
      for: "update",
      to: authenticatedRole,
      using: hasRoleIn(t.workspaceId, ["admin"]),
      withCheck: hasRoleIn(t.workspaceId, ["admin"]),
    }),
    pgPolicy("workspace_members_delete_admins", { for: "delete", to: authenticatedRole, using: hasRoleIn(t.workspaceId, ["admin"]) }),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: workspaceRole("role").notNull(),
    /** sha256 of the token in the emailed link; the token itself is never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: uuid("invited_by").references(() => authUsers.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => authUsers.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("invitations_email_lowercase", sql`${t.email} = lower(${t.email})`),
    // One open invitation per address and workspace; resending replaces the token.
    uniqueIndex("invitations_open_email_key")
      .on(t.workspaceId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    pgPolicy("invitations_admins_select", { for: "select", to: authenticatedRole, using: hasRoleIn(t.workspaceId, ["admin"]) }),
    pgPolicy("invitations_admins_insert", { for: "insert", to: authenticatedRole, withCheck: hasRoleIn(t.workspaceId, ["admin"]) }),
    pgPolicy("invitations_admins_update", {
      for: "update",
      to: authenticatedRole,
      using: hasRoleIn(t.workspaceId, ["admin"]),
      withCheck: hasRoleIn(t.workspaceId, ["admin"]),
    }),
    pgPolicy("invitations_admins_delete", { for: "delete", to: authenticatedRole, using: hasRoleIn(t.workspaceId, ["admin"]) }),
  ],
);
