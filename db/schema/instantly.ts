import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgPolicy,
  pgTable,
  pgView,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { authenticatedRole } from "drizzle-orm/supabase";
import { INSTANTLY_CURSOR_RESOURCES } from "@/lib/integrations/instantly/sync-resources";
import { hasRoleIn, inMemberWorkspaces } from "./_rls";
import { campaigns } from "./campaigns";
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

/** A number Instantly sent in `raw` (null when absent or not a number: the raw layer keeps anything). */
const rawNumber = (alias: string, field: string) =>
  `case when jsonb_typeof(${alias}.raw -> '${field}') = 'number' then (${alias}.raw ->> '${field}')::numeric end`;

/**
 * The normalised views of the raw layer. `security_invoker`: a reader sees through them exactly
 * the rows the raw tables' RLS lets them see.
 *
 * Instantly's leads linked to ours by address (trimmed, lower-cased, as `leads_workspace_email_key`
 * compares them): `lead_id` is null when no live lead of the workspace has it.
 */
export const instantlyLeadLinks = pgView("instantly_lead_links", {
  workspaceId: uuid("workspace_id").notNull(),
  instantlyId: text("instantly_id").notNull(),
  email: text("email"),
  campaignId: text("campaign_id"),
  /** 1 active, 2 paused, 3 completed, −1 bounced, −2 unsubscribed, −3 skipped. */
  instantlyStatus: integer("instantly_status"),
  leadId: uuid("lead_id"),
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull(),
})
  .with({ securityInvoker: true })
  .as(
    sql.raw(`select i.workspace_id, i.instantly_id, i.email, i.raw ->> 'campaign' as campaign_id,
  (${rawNumber("i", "status")})::integer as instantly_status, l.id as lead_id, i.fetched_at
from public.instantly_leads i
left join public.leads l on l.workspace_id = i.workspace_id and lower(l.email) = i.email and l.deleted_at is null`),
  );

const DAY_COUNTS = [
  "sent",
  "contacted",
  "new_leads_contacted",
  "opened",
  "unique_opened",
  "replies",
  "unique_replies",
  "replies_automatic",
  "clicks",
  "unique_clicks",
  "opportunities",
] as const;

/** One campaign's day as numbers, with the campaign's name: what the analytics chart reads. */
export const instantlyCampaignDays = pgView("instantly_campaign_days", {
  workspaceId: uuid("workspace_id").notNull(),
  campaignId: text("campaign_id").notNull(),
  campaignName: text("campaign_name"),
  day: date("day").notNull(),
  sent: numeric("sent"),
  contacted: numeric("contacted"),
  newLeadsContacted: numeric("new_leads_contacted"),
  opened: numeric("opened"),
  uniqueOpened: numeric("unique_opened"),
  replies: numeric("replies"),
  uniqueReplies: numeric("unique_replies"),
  repliesAutomatic: numeric("replies_automatic"),
  clicks: numeric("clicks"),
  uniqueClicks: numeric("unique_clicks"),
  opportunities: numeric("opportunities"),
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull(),
})
  .with({ securityInvoker: true })
  .as(
    sql.raw(`select d.workspace_id, d.campaign_id, c.raw ->> 'name' as campaign_name, d.day,
  ${DAY_COUNTS.map((f) => `${rawNumber("d", f)} as ${f}`).join(",\n  ")},
  d.fetched_at
from public.instantly_campaign_daily_analytics d
left join public.instantly_campaigns c on c.workspace_id = d.workspace_id and c.instantly_id = d.campaign_id`),
  );

export const INSTANTLY_PUSH_STATUSES = ["pushing", "active", "paused", "stopped", "failed"] as const;
export type InstantlyPushStatus = (typeof INSTANTLY_PUSH_STATUSES)[number];

/**
 * A campaign of ours launched through Instantly (lib/integrations/instantly/push), one row per
 * campaign: the progress of its push, written before and after each request to Instantly so
 * that a push failing half-way resumes where it stopped. `instantly_campaign_id` is stored the
 * moment Instantly answers the creation (a retry finds it and creates no second campaign), and
 * belongs to one campaign of the workspace; `leads_after` is the last lead id of the last batch
 * Instantly accepted (a retry adds the next batch, never one twice). `content_hash` is the
 * approved hash the push was asked for: the push refuses to send any other content. Members
 * read it (the campaign page); only the push job writes (the service connection).
 */
export const instantlyCampaignPushes = pgTable(
  "instantly_campaign_pushes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").notNull(),
    /** The integration account pushed with. */
    accountId: uuid("account_id").notNull(),
    approvalId: uuid("approval_id"),
    contentHash: text("content_hash").notNull(),
    instantlyCampaignId: text("instantly_campaign_id"),
    /** The Instantly time zone the schedule was given (the workspace's zone mapped to Instantly's list). */
    instantlyTimeZone: text("instantly_time_zone"),
    status: text("status", { enum: INSTANTLY_PUSH_STATUSES }).notNull().default("pushing"),
    leadsAfter: uuid("leads_after"),
    batchesDone: integer("batches_done").notNull().default(0),
    leadsSent: integer("leads_sent").notNull().default(0),
    leadsUploaded: integer("leads_uploaded").notNull().default(0),
    /** Leads Instantly skipped (already in the workspace or a campaign) or refused (blocklist, invalid). */
    leadsSkipped: integer("leads_skipped").notNull().default(0),
    /** Leads of the audience whose copy could not be rendered (an empty variable without fallback). */
    leadsBlocked: integer("leads_blocked").notNull().default(0),
    leadsDone: boolean("leads_done").notNull().default(false),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("instantly_campaign_pushes_campaign_key").on(t.campaignId),
    // One of our campaigns per Instantly campaign in a workspace: analytics join Instantly's daily
    // figures to our campaigns through this id, and a second link would count them twice
    // (ensureInstantlyCampaign refuses to make one). Many pushes have none yet: nulls are distinct.
    uniqueIndex("instantly_campaign_pushes_instantly_campaign_key").on(t.workspaceId, t.instantlyCampaignId),
    index("instantly_campaign_pushes_workspace_idx").on(t.workspaceId),
    foreignKey({
      name: "instantly_campaign_pushes_campaign_fkey",
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }).onDelete("cascade"),
    check("instantly_campaign_pushes_status", sql.raw(`status in (${INSTANTLY_PUSH_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
    check("instantly_campaign_pushes_last_error_length", sql`char_length(${t.lastError}) <= 1000`),
    pgPolicy("instantly_campaign_pushes_members_select", {
      for: "select",
      to: authenticatedRole,
      using: inMemberWorkspaces(t.workspaceId),
    }),
  ],
);
