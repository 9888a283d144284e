import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { authenticatedRole } from "drizzle-orm/supabase";
import { inMemberWorkspaces } from "./_rls";
import { BOUNCE_TYPES, EMAIL_EVENT_TYPES, MESSAGE_STATUSES } from "./campaign-enums";
import { campaignEnrollments, campaigns, campaignSteps } from "./campaigns";
import { leads, leadSource } from "./leads";
import { sendingIdentities } from "./sending-identities";
import { workspaces } from "./workspaces";

export const messageStatus = pgEnum("email_message_status", MESSAGE_STATUSES);
export const emailEventType = pgEnum("email_event_type", EMAIL_EVENT_TYPES);
export const bounceType = pgEnum("email_bounce_type", BOUNCE_TYPES);

/**
 * One email of one enrollment's step: at most one per (enrollment, step), whatever retries,
 * replays or restarts (DESIGN.md §7.2, the unique key). The rendered content is stored before
 * the provider is called, so a retry sends the identical body under the same Idempotency-Key
 * (the row's id). Written by the sequence and webhook jobs on the service connection; members
 * read. The funnel timestamps are the first time each event was seen (lib/sending/events).
 */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    enrollmentId: uuid("enrollment_id").notNull(),
    /**
     * Null only once the step was deleted from a campaign returned to draft (the message stays
     * in the history; migration 0026 makes the foreign key SET NULL this one column).
     */
    stepId: uuid("step_id"),
    /** The step's position when it was sent (steps can be reordered only in a new draft). */
    stepPosition: smallint("step_position").notNull(),
    /** The A/B variant chosen for this lead (null when skipped before choosing). */
    variantId: uuid("variant_id"),
    variantLabel: text("variant_label"),
    leadId: uuid("lead_id").notNull(),
    identityId: uuid("identity_id"),
    status: messageStatus("status").notNull().default("queued"),
    toEmail: text("to_email"),
    fromAddress: text("from_address"),
    replyTo: text("reply_to"),
    subject: text("subject"),
    html: text("html"),
    textBody: text("text_body"),
    /** Every header sent (List-Unsubscribe, Message-ID, In-Reply-To, References). */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    /** Our RFC 5322 Message-ID (`<id@domain>`): what replies reference and follow-ups thread on. */
    rfcMessageId: text("rfc_message_id"),
    /** The provider's id for it (Resend's email id), set once accepted. */
    providerId: text("provider_id"),
    attempts: smallint("attempts").notNull().default(0),
    /**
     * The campaign's approved content hash this email was written under (null for a skipped
     * step, never written). A stored email is sent only while that is still the campaign's
     * approved content: one written before an edit and a new approval is written anew (or, if
     * it may already have left, not sent again).
     */
    contentHash: text("content_hash"),
    /**
     * An attempt had no answer from the provider (a timeout, a dropped connection), or found
     * its Idempotency-Key still in flight there: the email may have left. It is then only ever
     * sent again under its own key, never put back in the queue to be dropped and written anew
     * (which would give it a new key, and the person a second email).
     */
    outcomeUnknown: boolean("outcome_unknown").notNull().default(false),
    /** Why it was skipped or failed, in words a rep understands; the provider's code when it had one. */
    reason: text("reason"),
    errorCode: text("error_code"),
    /** The start of the sending day (in the identity's zone) whose cap this message counted against. */
    capDay: date("cap_day"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    clickedAt: timestamp("clicked_at", { withTimezone: true }),
    bouncedAt: timestamp("bounced_at", { withTimezone: true }),
    bounceType: bounceType("bounce_type"),
    complainedAt: timestamp("complained_at", { withTimezone: true }),
    repliedAt: timestamp("replied_at", { withTimezone: true }),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
    /**
     * When the lead this email was the last one answered by first became interested, and first
     * had a meeting (set by a trigger on leads, migration 0059): the funnel's last two stages.
     */
    interestedAt: timestamp("interested_at", { withTimezone: true }),
    meetingAt: timestamp("meeting_at", { withTimezone: true }),
    /** The lead's owner and source when the email was created (set by a trigger): analytics' rep and source. */
    leadOwnerId: uuid("lead_owner_id"),
    leadSource: leadSource("lead_source"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("email_messages_enrollment_step_key").on(t.enrollmentId, t.stepId),
    unique("email_messages_workspace_id_id_key").on(t.workspaceId, t.id),
    uniqueIndex("email_messages_provider_id_key")
      .on(t.providerId)
      .where(sql`${t.providerId} is not null`),
    uniqueIndex("email_messages_rfc_message_id_key")
      .on(t.rfcMessageId)
      .where(sql`${t.rfcMessageId} is not null`),
    index("email_messages_campaign_step_idx").on(t.campaignId, t.stepId, t.variantId),
    index("email_messages_campaign_sent_idx").on(t.campaignId, t.sentAt.desc()),
    index("email_messages_lead_idx").on(t.leadId, t.createdAt.desc()),
    foreignKey({
      name: "email_messages_enrollment_fkey",
      columns: [t.workspaceId, t.enrollmentId],
      foreignColumns: [campaignEnrollments.workspaceId, campaignEnrollments.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "email_messages_campaign_fkey",
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "email_messages_step_fkey",
      columns: [t.workspaceId, t.stepId],
      foreignColumns: [campaignSteps.workspaceId, campaignSteps.id],
    }),
    foreignKey({
      name: "email_messages_lead_fkey",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "email_messages_identity_fkey",
      columns: [t.workspaceId, t.identityId],
      foreignColumns: [sendingIdentities.workspaceId, sendingIdentities.id],
    }),
    check("email_messages_step_position_range", sql`${t.stepPosition} between 1 and 20`),
    check("email_messages_sent_has_provider_id", sql`${t.status} <> 'sent' or (${t.providerId} is not null and ${t.sentAt} is not null)`),
    check(
      "email_messages_rendered_before_sending",
      sql`${t.status} not in ('sending', 'sent') or (${t.toEmail} is not null and ${t.subject} is not null and ${t.textBody} is not null)`,
    ),
    check("email_messages_refusal_has_reason", sql`${t.status} not in ('skipped', 'failed') or ${t.reason} is not null`),
    check("email_messages_reason_length", sql`char_length(${t.reason}) <= 1000`),
    pgPolicy("email_messages_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
  ],
);

/**
 * What the provider said about a message, and inbound replies (type `received`), in the order
 * they happened. Unknown messages are recorded with message_id null and changed nothing.
 * `provider_event_id` is the webhook delivery's svix-id (or the local simulation's id): a
 * second copy of the same delivery is refused by its unique index as well as by
 * webhook_receipts.
 */
export const emailEvents = pgTable(
  "email_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    messageId: uuid("message_id"),
    type: emailEventType("type").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    providerEventId: text("provider_event_id"),
    /** The event's data as the provider sent it (bounce details, clicked link, user agent). */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("email_events_provider_event_key")
      .on(t.providerEventId)
      .where(sql`${t.providerEventId} is not null`),
    index("email_events_message_idx").on(t.messageId, t.occurredAt),
    index("email_events_workspace_occurred_idx").on(t.workspaceId, t.occurredAt.desc()),
    foreignKey({
      name: "email_events_message_fkey",
      columns: [t.workspaceId, t.messageId],
      foreignColumns: [emailMessages.workspaceId, emailMessages.id],
    }).onDelete("cascade"),
    check("email_events_payload_object", sql`jsonb_typeof(${t.payload}) = 'object' and pg_column_size(${t.payload}) <= 65536`),
    pgPolicy("email_events_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
  ],
);

/**
 * A reply received for a campaign email (Resend inbound `email.received`, fetched in full),
 * matched to its message by In-Reply-To/References or the tagged reply-to address. Its text
 * is a stranger's input: shown as text, never as HTML (DESIGN.md §11).
 */
export const emailReplies = pgTable(
  "email_replies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    messageId: uuid("message_id"),
    campaignId: uuid("campaign_id"),
    enrollmentId: uuid("enrollment_id"),
    leadId: uuid("lead_id"),
    /** The provider's id of the received email (unique: a redelivery stores nothing twice). */
    providerEmailId: text("provider_email_id").notNull(),
    rfcMessageId: text("rfc_message_id"),
    fromAddress: text("from_address").notNull(),
    subject: text("subject"),
    textBody: text("text_body"),
    htmlBody: text("html_body"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("email_replies_provider_email_key").on(t.providerEmailId),
    index("email_replies_lead_idx").on(t.leadId, t.receivedAt.desc()),
    index("email_replies_campaign_idx").on(t.campaignId, t.receivedAt.desc()),
    foreignKey({
      name: "email_replies_message_fkey",
      columns: [t.workspaceId, t.messageId],
      foreignColumns: [emailMessages.workspaceId, emailMessages.id],
    }).onDelete("set null"),
    check("email_replies_text_length", sql`char_length(${t.textBody}) <= 200000 and char_length(${t.htmlBody}) <= 500000`),
    pgPolicy("email_replies_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
  ],
);

/**
 * Emails counted against a mailbox's daily cap, per day of its own time zone, across every
 * campaign. A send reserves its place here in the same transaction that creates its message
 * row (`sent < cap` in the UPDATE's WHERE), so concurrent sends cannot pass the cap.
 */
export const sendingIdentityUsage = pgTable(
  "sending_identity_usage",
  {
    workspaceId: uuid("workspace_id").notNull(),
    identityId: uuid("identity_id").notNull(),
    day: date("day").notNull(),
    sent: integer("sent").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.identityId, t.day] }),
    foreignKey({
      name: "sending_identity_usage_identity_fkey",
      columns: [t.workspaceId, t.identityId],
      foreignColumns: [sendingIdentities.workspaceId, sendingIdentities.id],
    }).onDelete("cascade"),
    check("sending_identity_usage_sent_range", sql`${t.sent} >= 0`),
    pgPolicy("sending_identity_usage_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
  ],
);
