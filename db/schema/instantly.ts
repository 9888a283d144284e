import { sql } from "drizzle-orm";
import { check, date, index, jsonb, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { authenticatedRole } from "drizzle-orm/supabase";
import { INSTANTLY_CURSOR_RESOURCES } from "@/lib/integrations/instantly/sync-resources";
import { hasRoleIn, inMemberWorkspaces } from "./_rls";
import { workspaces } from "./workspaces";

/**
 * The raw layer of the Instantly sync (inngest/functions/integrations/sync-instantly.ts): each
 * record as Instantly sent it (`raw`, unknown fields included), with the time that version was
 * received, one row per (workspace, Instantly id). The sync upserts, and rewrites a row only
 * when Instantly's JSON differs, so a replayed or repeated sync changes nothing. Members read;
 * only the sync writes (the service connection: no user role has a write policy).
 */
const rawColumns = {
  id: uuid("id").primaryKey().defaultRandom(),
  workspaceId: uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  /** What Instantly names the record by: an id, or an email for a sending account. */
  instantlyId: text("instantly_id").notNull(),
  raw: jsonb("raw").$type<Record<string, unknown>>().notNull(),
  /** When this version of `raw` was received (unchanged when a later sync received the same). */
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull().defaultNow(),
};

const rawRules = (name: string, t: { workspaceId: AnyPgColumn; instantlyId: AnyPgColumn; raw: AnyPgColumn }) => [
  uniqueIndex(`${name}_workspace_instantly_id_key`).on(t.workspaceId, t.instantlyId),
  check(`${name}_raw_object`, sql`jsonb_typeof(${t.raw}) = 'object'`),
  check(`${name}_instantly_id_length`, sql`char_length(${t.instantlyId}) between 1 and 320`),
  pgPolicy(`${name}_members_select`, { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
];

export const instantlyCampaigns = pgTable("instantly_campaigns", rawColumns, (t) => rawRules("instantly_campaigns", t));

/** Sending accounts: Instantly addresses them by email, their `instantly_id` here. */
export const instantlySendingAccounts = pgTable("instantly_sending_accounts", rawColumns, (t) => rawRules("instantly_sending_accounts", t));

export const instantlyLeads = pgTable(
  "instantly_leads",
  {
    ...rawColumns,
    /** The lead's email, trimmed and lower-cased: what links it to our leads. */
    email: text("email"),
  },
  (t) => [
    ...rawRules("instantly_leads", t),
    index("instantly_leads_workspace_email_idx").on(t.workspaceId, t.email),
    check("instantly_leads_email_normalised", sql`${t.email} = lower(btrim(${t.email}))`),
  ],
);

/** Received emails (replies) from the Unibox. */
export const instantlyEmails = pgTable("instantly_emails", rawColumns, (t) => rawRules("instantly_emails", t));

/** One campaign's day: `instantly_id` is the campaign's id. */
export const instantlyCampaignDailyAnalytics = pgTable(
  "instantly_campaign_daily_analytics",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: text("campaign_id").notNull(),
    day: date("day").notNull(),
    raw: jsonb("raw").$type<Record<string, unknown>>().notNull(),
    fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("instantly_campaign_daily_analytics_key").on(t.workspaceId, t.campaignId, t.day),
    check("instantly_campaign_daily_analytics_raw_object", sql`jsonb_typeof(${t.raw}) = 'object'`),
    pgPolicy("instantly_campaign_daily_analytics_members_select", {
      for: "select",
      to: authenticatedRole,
      using: inMemberWorkspaces(t.workspaceId),
    }),
  ],
);

/**
 * Where the next sync of a workspace resumes, per resource: Instantly's `next_starting_after`
 * after the last record stored (leads, emails), or the first day to read again (analytics).
 * Written in the same transaction as the records it follows, so a failed sync resumes from
 * the last page it stored. Admins read it (the Jobs page's business); only the sync writes.
 */
export const instantlySyncCursors = pgTable(
  "instantly_sync_cursors",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    resource: text("resource", { enum: INSTANTLY_CURSOR_RESOURCES }).notNull(),
    cursor: text("cursor").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("instantly_sync_cursors_workspace_resource_key").on(t.workspaceId, t.resource),
    check("instantly_sync_cursors_resource", sql.raw(`resource in (${INSTANTLY_CURSOR_RESOURCES.map((r) => `'${r}'`).join(", ")})`)),
    check("instantly_sync_cursors_cursor_length", sql`char_length(${t.cursor}) between 1 and 1000`),
    pgPolicy("instantly_sync_cursors_admins_select", { for: "select", to: authenticatedRole, using: hasRoleIn(t.workspaceId, ["admin"]) }),
  ],
);
