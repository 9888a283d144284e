import { sql } from "drizzle-orm";
import { boolean, check, index, pgEnum, pgPolicy, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { inMemberWorkspaces } from "./_rls";
import { NOTIFICATION_KINDS } from "./campaign-enums";
import { workspaces } from "./workspaces";

export const notificationKind = pgEnum("notification_kind", NOTIFICATION_KINDS);

/**
 * One in-app notification for one member of one workspace (the bell). A member reads and marks
 * read only their own. Any member may notify another member of the same workspace, as themself
 * (the actor): the services decide who hears of what (lib/notifications); the email copy is
 * sent by a job, which records emailed_at.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    kind: notificationKind("kind").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    /** An in-app path ("/campaigns/…"), never a full URL. */
    link: text("link").notNull(),
    /** What it is about (a campaign id…), for de-duplication and clean-up. */
    subjectId: uuid("subject_id"),
    actorId: uuid("actor_id").references(() => authUsers.id, { onDelete: "set null" }),
    readAt: timestamp("read_at", { withTimezone: true }),
    emailedAt: timestamp("emailed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.workspaceId, t.createdAt.desc()),
    index("notifications_unread_idx")
      .on(t.userId, t.workspaceId)
      .where(sql`${t.readAt} is null`),
    check("notifications_title_length", sql`char_length(${t.title}) between 1 and 200`),
    check("notifications_body_length", sql`char_length(${t.body}) <= 2000`),
    check("notifications_link_in_app", sql`${t.link} ~ '^/[^/\\\\]'`),
    pgPolicy("notifications_own_select", {
      for: "select",
      to: authenticatedRole,
      using: sql`${t.userId} = ${authUid} and ${inMemberWorkspaces(t.workspaceId)}`,
    }),
    pgPolicy("notifications_members_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inMemberWorkspaces(t.workspaceId)} and ${t.actorId} = ${authUid}
        and exists (select 1 from public.workspace_members m where m.workspace_id = ${t.workspaceId} and m.user_id = ${t.userId})`,
    }),
    pgPolicy("notifications_own_update", {
      for: "update",
      to: authenticatedRole,
      using: sql`${t.userId} = ${authUid} and ${inMemberWorkspaces(t.workspaceId)}`,
      withCheck: sql`${t.userId} = ${authUid} and ${inMemberWorkspaces(t.workspaceId)}`,
    }),
  ],
);

/** A member's choices per workspace; no row means the defaults (emails on). */
export const notificationSettings = pgTable(
  "notification_settings",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    emailEnabled: boolean("email_enabled").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    pgPolicy("notification_settings_own_select", {
      for: "select",
      to: authenticatedRole,
      using: sql`${t.userId} = ${authUid} and ${inMemberWorkspaces(t.workspaceId)}`,
    }),
    pgPolicy("notification_settings_own_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${t.userId} = ${authUid} and ${inMemberWorkspaces(t.workspaceId)}`,
    }),
    pgPolicy("notification_settings_own_update", {
      for: "update",
      to: authenticatedRole,
      using: sql`${t.userId} = ${authUid} and ${inMemberWorkspaces(t.workspaceId)}`,
      withCheck: sql`${t.userId} = ${authUid} and ${inMemberWorkspaces(t.workspaceId)}`,
    }),
  ],
);
