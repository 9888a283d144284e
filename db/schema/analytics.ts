import { index, integer, pgPolicy, pgTable, smallint, text, timestamp, unique, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { authenticatedRole } from "drizzle-orm/supabase";
import { inWorkspacesWithRole } from "./_rls";
import { leadSource, leadStatus } from "./leads";
import { workspaces } from "./workspaces";

/** Who reads the rollups: the roles with `analytics.read` (lib/auth/permissions.ts). */
const ANALYTICS_ROLES = ["admin", "manager", "sales_rep", "analyst"] as const;

/** Every rollup is read by the roles that see analytics, in their own workspaces, and written only by its triggers. */
const analystsRead = (table: string, workspaceId: AnyPgColumn) =>
  pgPolicy(`${table}_analysts_select`, { for: "select", to: authenticatedRole, using: inWorkspacesWithRole(workspaceId, ANALYTICS_ROLES) });

/**
 * The outreach funnel counted per UTC quarter hour (`hour` is its first instant; per hour until
 * migration 0085), campaign, step, A/B variant, mailbox, lead owner
 * and lead source (the owner and source the lead had when its email was created), so the
 * analytics page sums a few thousand rows instead of scanning messages and events.
 *
 * Kept by statement triggers on email_messages (migration 0059), in the transaction that sets a
 * message's funnel timestamps: each count is the number of sent messages whose first time for
 * that stage falls in the quarter hour. A trigger adds what a statement's new rows contribute and
 * takes off what its old rows did, so a duplicate event (which changes no timestamp) counts
 * nothing and an earlier event arriving late moves the message to the earlier quarter hour.
 * Quarter hours in UTC let the page show days in any viewer's time zone exactly: every zone's
 * offset is a multiple of 15 minutes (Kolkata +5:30, Kathmandu +5:45, Chatham +12:45), so no
 * quarter hour straddles two local days, across DST changes too.
 */
export const analyticsMessageHours = pgTable(
  "analytics_message_hours",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    campaignId: uuid("campaign_id").notNull(),
    stepPosition: smallint("step_position").notNull(),
    variantLabel: text("variant_label"),
    identityId: uuid("identity_id"),
    ownerId: uuid("owner_id"),
    source: leadSource("source"),
    sent: integer("sent").notNull().default(0),
    delivered: integer("delivered").notNull().default(0),
    opened: integer("opened").notNull().default(0),
    clicked: integer("clicked").notNull().default(0),
    replied: integer("replied").notNull().default(0),
    interested: integer("interested").notNull().default(0),
    meeting: integer("meeting").notNull().default(0),
    bounced: integer("bounced").notNull().default(0),
    unsubscribed: integer("unsubscribed").notNull().default(0),
    complained: integer("complained").notNull().default(0),
  },
  (t) => [
    unique("analytics_message_hours_key")
      .on(t.workspaceId, t.hour, t.campaignId, t.stepPosition, t.variantLabel, t.identityId, t.ownerId, t.source)
      .nullsNotDistinct(),
    index("analytics_message_hours_campaign_idx").on(t.workspaceId, t.campaignId, t.hour),
    analystsRead("analytics_message_hours", t.workspaceId),
  ],
);

/** The funnel's counts, as every message rollup keeps them. */
const stageCounts = () => ({
  sent: integer("sent").notNull().default(0),
  delivered: integer("delivered").notNull().default(0),
  opened: integer("opened").notNull().default(0),
  clicked: integer("clicked").notNull().default(0),
  replied: integer("replied").notNull().default(0),
  interested: integer("interested").notNull().default(0),
  meeting: integer("meeting").notNull().default(0),
  bounced: integer("bounced").notNull().default(0),
  unsubscribed: integer("unsubscribed").notNull().default(0),
  complained: integer("complained").notNull().default(0),
});

const funnelKey = () => ({
  workspaceId: uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  hour: timestamp("hour", { withTimezone: true }).notNull(),
  campaignId: uuid("campaign_id").notNull(),
  stepPosition: smallint("step_position").notNull(),
  variantLabel: text("variant_label"),
});

/**
 * The same counts as analytics_message_hours at narrower grains, one per question, kept by the
 * same statement triggers in the same statement (migration 0067): analytics_message_hours holds
 * about 1.3 rows per email at scale (a row per hour, campaign, step, variant, mailbox, owner and
 * source), so summing it costs nearly what counting the emails would. The page reads the
 * narrowest table that answers each question: the funnel and the daily series without a
 * mailbox, owner or source filter read analytics_campaign_hours (about 1 row per 25 emails);
 * a question by or filtered on one of those dimensions reads the table that has it and none of
 * the others; only combinations (an owner filter with a source filter, say) read the widest.
 */
export const analyticsCampaignHours = pgTable("analytics_campaign_hours", { ...funnelKey(), ...stageCounts() }, (t) => [
  unique("analytics_campaign_hours_key").on(t.workspaceId, t.hour, t.campaignId, t.stepPosition, t.variantLabel).nullsNotDistinct(),
  index("analytics_campaign_hours_campaign_idx").on(t.workspaceId, t.campaignId, t.hour),
  analystsRead("analytics_campaign_hours", t.workspaceId),
]);

/** Per lead owner (as the lead was when its email was created); keyed owner first, so one owner's hours are one index range. */
export const analyticsOwnerHours = pgTable(
  "analytics_owner_hours",
  { ...funnelKey(), ownerId: uuid("owner_id"), ...stageCounts() },
  (t) => [
    unique("analytics_owner_hours_key")
      .on(t.workspaceId, t.ownerId, t.hour, t.campaignId, t.stepPosition, t.variantLabel)
      .nullsNotDistinct(),
    analystsRead("analytics_owner_hours", t.workspaceId),
  ],
);

/** Per mailbox (sending identity). */
export const analyticsIdentityHours = pgTable(
  "analytics_identity_hours",
  { ...funnelKey(), identityId: uuid("identity_id"), ...stageCounts() },
  (t) => [
    unique("analytics_identity_hours_key")
      .on(t.workspaceId, t.identityId, t.hour, t.campaignId, t.stepPosition, t.variantLabel)
      .nullsNotDistinct(),
    analystsRead("analytics_identity_hours", t.workspaceId),
  ],
);

/** Per lead source (as the lead was when its email was created). */
export const analyticsSourceHours = pgTable(
  "analytics_source_hours",
  { ...funnelKey(), source: leadSource("source"), ...stageCounts() },
  (t) => [
    unique("analytics_source_hours_key")
      .on(t.workspaceId, t.source, t.hour, t.campaignId, t.stepPosition, t.variantLabel)
      .nullsNotDistinct(),
    analystsRead("analytics_source_hours", t.workspaceId),
  ],
);

const dayKey = () => {
  const { hour: _hour, ...key } = funnelKey();
  return { ...key, day: timestamp("day", { withTimezone: true }).notNull() };
};

/**
 * The question rollups again per UTC day (`day` is the day's first instant, UTC), kept by the
 * same statement (migration 0070). A total over a range (the funnel, the breakdowns) reads the
 * days the range covers whole from these and only its first and last hours from the hourly
 * tables: 180 days of the funnel are then about 4,000 rows instead of 89,000. The daily
 * series, summed into the viewer's days, reads hours.
 */
export const analyticsCampaignDays = pgTable("analytics_campaign_days", { ...dayKey(), ...stageCounts() }, (t) => [
  unique("analytics_campaign_days_key").on(t.workspaceId, t.day, t.campaignId, t.stepPosition, t.variantLabel).nullsNotDistinct(),
  analystsRead("analytics_campaign_days", t.workspaceId),
]);

export const analyticsOwnerDays = pgTable("analytics_owner_days", { ...dayKey(), ownerId: uuid("owner_id"), ...stageCounts() }, (t) => [
  unique("analytics_owner_days_key").on(t.workspaceId, t.ownerId, t.day, t.campaignId, t.stepPosition, t.variantLabel).nullsNotDistinct(),
  analystsRead("analytics_owner_days", t.workspaceId),
]);

export const analyticsIdentityDays = pgTable(
  "analytics_identity_days",
  { ...dayKey(), identityId: uuid("identity_id"), ...stageCounts() },
  (t) => [
    unique("analytics_identity_days_key")
      .on(t.workspaceId, t.identityId, t.day, t.campaignId, t.stepPosition, t.variantLabel)
      .nullsNotDistinct(),
    analystsRead("analytics_identity_days", t.workspaceId),
  ],
);

export const analyticsSourceDays = pgTable(
  "analytics_source_days",
  { ...dayKey(), source: leadSource("source"), ...stageCounts() },
  (t) => [
    unique("analytics_source_days_key").on(t.workspaceId, t.source, t.day, t.campaignId, t.stepPosition, t.variantLabel).nullsNotDistinct(),
    analystsRead("analytics_source_days", t.workspaceId),
  ],
);

/**
 * The message counts per UTC day for each pair of owner, mailbox and source (migration 0077),
 * kept by the same statement as the others: a breakdown under a filter on another dimension
 * (by mailbox for one owner, say) read the six-dimension hourly table, every hour of the range
 * and every owner's rows in them (EXPLAIN at 200,000 leads: README, bench:analytics). Keyed by
 * the first dimension and the day, with an index on the second and the day, so either filter
 * reads one index range of whole days; the range's first and last hours still come from
 * analytics_message_hours.
 */
export const analyticsOwnerIdentityDays = pgTable(
  "analytics_owner_identity_days",
  { ...dayKey(), ownerId: uuid("owner_id"), identityId: uuid("identity_id"), ...stageCounts() },
  (t) => [
    unique("analytics_owner_identity_days_key")
      .on(t.workspaceId, t.ownerId, t.day, t.identityId, t.campaignId, t.stepPosition, t.variantLabel)
      .nullsNotDistinct(),
    index("analytics_owner_identity_days_identity_idx").on(t.workspaceId, t.identityId, t.day),
    analystsRead("analytics_owner_identity_days", t.workspaceId),
  ],
);

export const analyticsOwnerSourceDays = pgTable(
  "analytics_owner_source_days",
  { ...dayKey(), ownerId: uuid("owner_id"), source: leadSource("source"), ...stageCounts() },
  (t) => [
    unique("analytics_owner_source_days_key")
      .on(t.workspaceId, t.ownerId, t.day, t.source, t.campaignId, t.stepPosition, t.variantLabel)
      .nullsNotDistinct(),
    index("analytics_owner_source_days_source_idx").on(t.workspaceId, t.source, t.day),
    analystsRead("analytics_owner_source_days", t.workspaceId),
  ],
);

export const analyticsIdentitySourceDays = pgTable(
  "analytics_identity_source_days",
  { ...dayKey(), identityId: uuid("identity_id"), source: leadSource("source"), ...stageCounts() },
  (t) => [
    unique("analytics_identity_source_days_key")
      .on(t.workspaceId, t.identityId, t.day, t.source, t.campaignId, t.stepPosition, t.variantLabel)
      .nullsNotDistinct(),
    index("analytics_identity_source_days_source_idx").on(t.workspaceId, t.source, t.day),
    analystsRead("analytics_identity_source_days", t.workspaceId),
  ],
);

/**
 * Leads per UTC quarter hour (`hour` is its first instant, migration 0085), owner, source and status, kept by statement triggers on leads (0055):
 * `net` is how many live leads entered (+) or left (−) that (owner, source, status) in the quarter hour,
 * so the count at any moment is the running sum up to it (a new lead counts from its
 * created_at, a change from the moment it was made); `created` counts live leads by the quarter
 * hour they were created, under their current owner, source and status.
 */
export const analyticsLeadHours = pgTable(
  "analytics_lead_hours",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    ownerId: uuid("owner_id"),
    source: leadSource("source").notNull(),
    status: leadStatus("status").notNull(),
    net: integer("net").notNull().default(0),
    created: integer("created").notNull().default(0),
  },
  (t) => [
    unique("analytics_lead_hours_key").on(t.workspaceId, t.hour, t.ownerId, t.source, t.status).nullsNotDistinct(),
    analystsRead("analytics_lead_hours", t.workspaceId),
  ],
);

/**
 * analytics_lead_hours again, kept by the same statement (migration 0072): per UTC day with its
 * keys (what stood before a moment, per owner or source, sums a row per day and the last day's
 * quarter hours instead of every one since the first lead), and per quarter hour with the status alone (the
 * pipeline's days without an owner or source filter).
 */
export const analyticsLeadDays = pgTable(
  "analytics_lead_days",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: timestamp("day", { withTimezone: true }).notNull(),
    ownerId: uuid("owner_id"),
    source: leadSource("source").notNull(),
    status: leadStatus("status").notNull(),
    net: integer("net").notNull().default(0),
    created: integer("created").notNull().default(0),
  },
  (t) => [
    unique("analytics_lead_days_key").on(t.workspaceId, t.day, t.ownerId, t.source, t.status).nullsNotDistinct(),
    analystsRead("analytics_lead_days", t.workspaceId),
  ],
);

export const analyticsLeadStatusHours = pgTable(
  "analytics_lead_status_hours",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    status: leadStatus("status").notNull(),
    net: integer("net").notNull().default(0),
    created: integer("created").notNull().default(0),
  },
  (t) => [
    unique("analytics_lead_status_hours_key").on(t.workspaceId, t.hour, t.status),
    analystsRead("analytics_lead_status_hours", t.workspaceId),
  ],
);

/** analytics_lead_days summed over owner and source: the unfiltered pipeline's whole UTC days (migration 0088). */
export const analyticsLeadStatusDays = pgTable(
  "analytics_lead_status_days",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: timestamp("day", { withTimezone: true }).notNull(),
    status: leadStatus("status").notNull(),
    net: integer("net").notNull().default(0),
    created: integer("created").notNull().default(0),
  },
  (t) => [
    unique("analytics_lead_status_days_key").on(t.workspaceId, t.day, t.status),
    analystsRead("analytics_lead_status_days", t.workspaceId),
  ],
);

export const ANALYTICS_READ_ROLES = ANALYTICS_ROLES;
