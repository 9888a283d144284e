import { sql } from "drizzle-orm";
import { check, integer, pgPolicy, pgTable, smallint, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUsers } from "drizzle-orm/supabase";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { workspaces } from "./workspaces";

/**
 * A mailbox campaigns send from (Settings → Sending, `sending.manage`: admins). Everyone in the
 * workspace may read it (the editor lists them); only admins write. Its from, reply-to,
 * signature and postal address are part of every approved campaign's content hash: changing
 * them returns the campaigns that use it to draft (migration 0023).
 */
export const sendingIdentities = pgTable(
  "sending_identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    fromName: text("from_name").notNull(),
    /** Lower-cased and trimmed by the service; unique per workspace. */
    fromEmail: text("from_email").notNull(),
    replyTo: text("reply_to"),
    /** Emails per day across every campaign using it, counted in its own time zone's day. */
    dailyCap: integer("daily_cap").notNull().default(50),
    /** ISO weekdays it sends on (1 = Monday … 7 = Sunday). */
    sendDays: smallint("send_days")
      .array()
      .notNull()
      .default(sql`'{1,2,3,4,5}'::smallint[]`),
    /** The sending window in minutes after local midnight, [from, until), in the lead's zone. */
    sendFromMinute: smallint("send_from_minute").notNull().default(540),
    sendUntilMinute: smallint("send_until_minute").notNull().default(1020),
    /**
     * IANA zone of the mailbox (checked against Intl by the service): its daily cap counts the
     * days of this zone. Leads without a zone of their own get the workspace's window zone.
     */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** The physical postal address of the footer (CAN-SPAM); a campaign without one is not submittable. */
    postalAddress: text("postal_address"),
    /** Plain text appended under each email's body (escaped, line breaks kept). */
    signature: text("signature"),
    /** Archived identities keep their history but are not offered to new campaigns. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("sending_identities_workspace_id_id_key").on(t.workspaceId, t.id),
    uniqueIndex("sending_identities_workspace_email_key").on(t.workspaceId, t.fromEmail),
    check("sending_identities_from_name_length", sql`char_length(btrim(${t.fromName})) between 1 and 80`),
    check(
      "sending_identities_from_email_format",
      sql`${t.fromEmail} = lower(btrim(${t.fromEmail})) and ${t.fromEmail} ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'`,
    ),
    check("sending_identities_reply_to_format", sql`${t.replyTo} ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'`),
    check("sending_identities_daily_cap_range", sql`${t.dailyCap} between 1 and 10000`),
    check(
      "sending_identities_send_days_valid",
      sql`cardinality(${t.sendDays}) between 1 and 7 and ${t.sendDays} <@ '{1,2,3,4,5,6,7}'::smallint[]`,
    ),
    check(
      "sending_identities_window_valid",
      sql`${t.sendFromMinute} >= 0 and ${t.sendFromMinute} < ${t.sendUntilMinute} and ${t.sendUntilMinute} <= 1440`,
    ),
    check("sending_identities_postal_address_length", sql`char_length(${t.postalAddress}) <= 300`),
    check("sending_identities_signature_length", sql`char_length(${t.signature}) <= 2000`),
    pgPolicy("sending_identities_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy("sending_identities_admins_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
    pgPolicy("sending_identities_admins_update", {
      for: "update",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin"]),
      withCheck: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
    pgPolicy("sending_identities_admins_delete", {
      for: "delete",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
  ],
);
