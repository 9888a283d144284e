import { sql } from "drizzle-orm";
import {
  check,
  date,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { authenticatedRole, authUsers } from "drizzle-orm/supabase";
import {
  REPLY_CATEGORIES,
  REPLY_CLASSIFICATION_STATES,
  REPLY_SOURCES,
  type ReplyAction,
  type ReplyReferral,
} from "@/lib/ai/replies/reply-categories";
import { inMemberWorkspaces } from "./_rls";
import { leads } from "./leads";
import { workspaces } from "./workspaces";

export const replyCategory = pgEnum("reply_category", REPLY_CATEGORIES);
export const replyClassificationState = pgEnum("reply_classification_state", REPLY_CLASSIFICATION_STATES);
export const replySource = pgEnum("reply_source", REPLY_SOURCES);

/**
 * A lead's reply as the model read it (lib/ai/replies), one row per stored reply of either
 * source: written `pending` in the transaction that stores the reply, then by the
 * classification job (the service connection): the category, the confidence, the return date
 * or the referred person, a suggested answer (text, never sent by itself), and the one action
 * taken, which a lead editor may undo (`undone_at`). A lead editor may also read it themselves
 * (`classified_by`): with no model, after a failure, or in place of a reading whose action is
 * undone or that did nothing. The reply's text is copied here, capped,
 * so the job and the UI read one table whatever the source. Members read; only the
 * services write.
 */
export const replyClassifications = pgTable(
  "reply_classifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    source: replySource("source").notNull(),
    /** email_replies.id (resend) or Instantly's email id (instantly). */
    replyKey: text("reply_key").notNull(),
    leadId: uuid("lead_id").notNull(),
    campaignId: uuid("campaign_id"),
    /** The enrollment the reply concerns: its own (resend), or the one the reply ended (instantly). */
    enrollmentId: uuid("enrollment_id"),
    fromAddress: text("from_address"),
    subject: text("subject"),
    body: text("body").notNull().default(""),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    state: replyClassificationState("state").notNull().default("pending"),
    category: replyCategory("category"),
    confidence: real("confidence"),
    returnDate: date("return_date"),
    referral: jsonb("referral").$type<ReplyReferral>(),
    suggestedReply: text("suggested_reply"),
    model: text("model"),
    failure: text("failure"),
    classifiedAt: timestamp("classified_at", { withTimezone: true }),
    /** A person who read the reply themselves (the lead page), in place of the model or after it; null: the model's reading. */
    classifiedBy: uuid("classified_by").references(() => authUsers.id, { onDelete: "set null" }),
    action: jsonb("action").$type<ReplyAction>(),
    undoneAt: timestamp("undone_at", { withTimezone: true }),
    undoneBy: uuid("undone_by").references(() => authUsers.id, { onDelete: "set null" }),
    /** The lead made from the referral (Add as lead), linked to this reply's lead. */
    referredLeadId: uuid("referred_lead_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("reply_classifications_reply_key").on(t.workspaceId, t.source, t.replyKey),
    index("reply_classifications_lead_idx").on(t.leadId, t.receivedAt.desc()),
    // The Replies inbox and a campaign's replies page newest first by keyset on (received_at, id):
    // each index matches its ORDER BY exactly, tie-breaker included.
    index("reply_classifications_campaign_idx").on(t.campaignId, t.receivedAt.desc(), t.id.desc()),
    index("reply_classifications_inbox_idx").on(t.workspaceId, t.receivedAt.desc(), t.id.desc()),
    index("reply_classifications_category_idx").on(t.workspaceId, t.category, t.receivedAt.desc(), t.id.desc()),
    foreignKey({
      name: "reply_classifications_lead_fkey",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }).onDelete("cascade"),
    check("reply_classifications_confidence_range", sql`${t.confidence} between 0 and 1`),
    check("reply_classifications_body_length", sql`char_length(${t.body}) <= 20000`),
    check("reply_classifications_draft_length", sql`char_length(${t.suggestedReply}) <= 4000`),
    check("reply_classifications_person_or_model", sql`${t.classifiedBy} is null or ${t.model} is null`),
    check("reply_classifications_classified_has_category", sql`${t.state} <> 'classified' or ${t.category} is not null`),
    pgPolicy("reply_classifications_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
  ],
);
