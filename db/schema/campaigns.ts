import { sql, type SQL } from "drizzle-orm";
import {
  boolean,
  check,
  integer,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import type { StoredAudience } from "@/lib/campaigns/types";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { APPROVAL_DECISIONS, CAMPAIGN_STATUSES, ENROLLMENT_END_CAUSES, ENROLLMENT_STATUSES, PAUSE_CAUSES } from "./campaign-enums";
import { leads } from "./leads";
import { sendingIdentities } from "./sending-identities";
import { workspaces } from "./workspaces";

export * from "./campaign-enums";

export const campaignStatus = pgEnum("campaign_status", CAMPAIGN_STATUSES);
export const approvalDecision = pgEnum("campaign_approval_decision", APPROVAL_DECISIONS);
export const enrollmentStatus = pgEnum("campaign_enrollment_status", ENROLLMENT_STATUSES);
export const enrollmentEndCause = pgEnum("campaign_enrollment_end_cause", ENROLLMENT_END_CAUSES);
export const pauseCause = pgEnum("campaign_pause_cause", PAUSE_CAUSES);

/**
 * Who may edit a campaign (DESIGN.md §5, `campaigns.draft`): managers and admins any campaign
 * of their workspace, sales reps their own. Used for USING and WITH CHECK alike, so a rep can
 * neither edit another rep's campaign nor hand theirs over.
 */
function mayEditCampaign(workspaceId: AnyPgColumn, ownerId: AnyPgColumn): SQL {
  return sql`(${inWorkspacesWithRole(workspaceId, ["admin", "manager"])}
    or (${inWorkspacesWithRole(workspaceId, ["sales_rep"])} and ${ownerId} = ${authUid}))`;
}

/** The same rule for a campaign's content rows (steps, variants, identities), through their campaign. */
function mayEditCampaignOf(workspaceId: AnyPgColumn, campaignId: AnyPgColumn): SQL {
  return sql`exists (select 1 from public.campaigns c where c.id = ${campaignId} and c.workspace_id = ${workspaceId}
    and ${mayEditCampaign(sql`c.workspace_id` as unknown as AnyPgColumn, sql`c.owner_id` as unknown as AnyPgColumn)})`;
}

/**
 * A multi-step email campaign. Its *content* — audience rule, settings, steps with their
 * variants, and identities (with their from, reply-to, signature and postal address) — is
 * hashed by private.campaign_content_hash() (migration 0023). Submitting records the hash that
 * was submitted; approving (admins only, enforced by trigger as well as by the service) the hash
 * that was approved; any later change of the content returns the campaign to draft, and only a
 * campaign whose current hash equals the approved one can be set running (DESIGN.md §7.1).
 */
export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: campaignStatus("status").notNull().default("draft"),
    /** The author (a rep edits only campaigns they own). */
    ownerId: uuid("owner_id").references(() => authUsers.id, { onDelete: "set null" }),
    /** Which leads: a saved view's query as it was chosen, a filter query, or picked ids (lib/campaigns/types.ts). */
    audience: jsonb("audience").$type<StoredAudience>(),
    stopOnReply: boolean("stop_on_reply").notNull().default(true),
    plainTextOnly: boolean("plain_text_only").notNull().default(false),
    /**
     * How it is sent, chosen by the admin at launch (not content: the approval does not cover
     * it): our own sequence through Resend, or pushed to the workspace's Instantly account
     * (lib/integrations/instantly/push), whose progress is in instantly_campaign_pushes.
     */
    delivery: text("delivery", { enum: ["resend", "instantly"] })
      .notNull()
      .default("resend"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    submittedBy: uuid("submitted_by").references(() => authUsers.id, { onDelete: "set null" }),
    submittedContentHash: text("submitted_content_hash"),
    /** The last approval (kept after a return to draft: the campaign page shows what changed since). */
    approvalId: uuid("approval_id"),
    approvedContentHash: text("approved_content_hash"),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    approvedBy: uuid("approved_by").references(() => authUsers.id, { onDelete: "set null" }),
    launchedAt: timestamp("launched_at", { withTimezone: true }),
    /** Why it is paused, shown on the campaign page: the admin's words, or the bounce breaker's. */
    pauseReason: text("pause_reason"),
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    /** Null when the system paused it (the bounce breaker), and when the admin who paused it was deleted since. */
    pausedBy: uuid("paused_by").references(() => authUsers.id, { onDelete: "set null" }),
    /** Who or what paused it (PAUSE_CAUSES; migration 0089): the home page lists the bounce breaker's pauses by it. */
    pauseCause: pauseCause("pause_cause"),
    /**
     * When the launch job finished enrolling the audience (lib/campaigns/lifecycle): until then
     * the campaign cannot complete, though every enrollment written so far may have ended.
     */
    enrolledAt: timestamp("enrolled_at", { withTimezone: true }),
    /**
     * While its active enrollments wait for a resume to restart them, an id for that restart
     * (migration 0115): set by trigger when a launched campaign is set running again (a resume, a
     * relaunch), taken anew by the resume job as it begins, cleared by it once it has restarted
     * every one unless the campaign was resumed again meanwhile. A resume's failure pauses the
     * campaign only while it is set (holdLaunch), so the failure handler replayed later does not.
     */
    pendingRestart: uuid("pending_restart"),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Moved forward by trigger on every update: the version the editor's autosave sends back. */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("campaigns_workspace_id_id_key").on(t.workspaceId, t.id),
    index("campaigns_workspace_status_idx").on(t.workspaceId, t.status, t.updatedAt.desc()),
    index("campaigns_owner_idx").on(t.workspaceId, t.ownerId),
    check("campaigns_delivery", sql`${t.delivery} in ('resend', 'instantly')`),
    check("campaigns_name_length", sql`char_length(btrim(${t.name})) between 1 and 120`),
    check(
      "campaigns_audience_object",
      sql`${t.audience} is null or (jsonb_typeof(${t.audience}) = 'object' and pg_column_size(${t.audience}) <= 65536)`,
    ),
    check("campaigns_submitted_has_hash", sql`${t.status} <> 'pending_approval' or ${t.submittedContentHash} is not null`),
    check(
      "campaigns_approved_has_approval",
      sql`${t.status} in ('draft', 'pending_approval') or (${t.approvedContentHash} is not null and ${t.approvedBy} is not null and ${t.approvedAt} is not null)`,
    ),
    pgPolicy("campaigns_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy("campaigns_editors_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, ["admin", "manager", "sales_rep"])} and ${t.ownerId} = ${authUid} and ${t.status} = 'draft'`,
    }),
    pgPolicy("campaigns_editors_update", {
      for: "update",
      to: authenticatedRole,
      using: mayEditCampaign(t.workspaceId, t.ownerId),
      withCheck: mayEditCampaign(t.workspaceId, t.ownerId),
    }),
    pgPolicy("campaigns_editors_delete_drafts", {
      for: "delete",
      to: authenticatedRole,
      using: sql`${mayEditCampaign(t.workspaceId, t.ownerId)} and ${t.status} = 'draft' and ${t.launchedAt} is null`,
    }),
  ],
);

/**
 * The identities a campaign sends from, in rotation. Deleting an identity takes it out of its
 * campaigns (which returns approved ones to draft); the service offers archiving instead while a
 * campaign that is not a draft uses it.
 */
export const campaignIdentities = pgTable(
  "campaign_identities",
  {
    workspaceId: uuid("workspace_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    identityId: uuid("identity_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.identityId] }),
    index("campaign_identities_identity_idx").on(t.identityId),
    foreignKey({
      name: "campaign_identities_campaign_fkey",
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "campaign_identities_identity_fkey",
      columns: [t.workspaceId, t.identityId],
      foreignColumns: [sendingIdentities.workspaceId, sendingIdentities.id],
    }).onDelete("cascade"),
    ...contentPolicies("campaign_identities", t),
  ],
);

/**
 * One email of the sequence, sent `delay` after the previous step (after enrollment for the
 * first). Positions are 1…n; the unique key is deferrable so a reorder can swap them in one
 * transaction. What a step sends is in its variants (one, or an A/B split).
 */
export const campaignSteps = pgTable(
  "campaign_steps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    position: smallint("position").notNull(),
    delayDays: smallint("delay_days").notNull().default(0),
    delayHours: smallint("delay_hours").notNull().default(0),
    /** Count the delay's days on Monday–Friday only. */
    businessDays: boolean("business_days").notNull().default(false),
  },
  (t) => [
    unique("campaign_steps_workspace_id_id_key").on(t.workspaceId, t.id),
    // What a variant's foreign key names, so that a variant's step is one of its own campaign's.
    unique("campaign_steps_workspace_campaign_id_key").on(t.workspaceId, t.campaignId, t.id),
    // Made DEFERRABLE INITIALLY DEFERRED by migration 0023 (drizzle cannot say so): a reorder
    // swaps positions inside one transaction.
    unique("campaign_steps_position_key").on(t.campaignId, t.position),
    foreignKey({
      name: "campaign_steps_campaign_fkey",
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }).onDelete("cascade"),
    check("campaign_steps_position_range", sql`${t.position} between 1 and 20`),
    check("campaign_steps_delay_range", sql`${t.delayDays} between 0 and 365 and ${t.delayHours} between 0 and 23`),
    ...contentPolicies("campaign_steps", t),
  ],
);

/**
 * What a step sends: one variant (label A), or an A/B(/C…) split whose weights are percentages
 * (they sum to 100 before a campaign can be submitted; a draft may be incomplete). Subject and
 * body are Liquid templates (lib/campaigns/templates), the body plain text.
 */
export const campaignStepVariants = pgTable(
  "campaign_step_variants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    stepId: uuid("step_id").notNull(),
    label: text("label").notNull(),
    weight: smallint("weight").notNull().default(100),
    subject: text("subject").notNull().default(""),
    body: text("body").notNull().default(""),
  },
  (t) => [
    unique("campaign_step_variants_label_key").on(t.stepId, t.label),
    index("campaign_step_variants_campaign_idx").on(t.campaignId),
    // The step is one of the variant's own campaign: the editor's right to the campaign is what
    // RLS checks, so a variant on another campaign's step would change that campaign's content
    // (and, approved there, be sent) without its editor or its return to draft (migration 0095).
    foreignKey({
      name: "campaign_step_variants_step_fkey",
      columns: [t.workspaceId, t.campaignId, t.stepId],
      foreignColumns: [campaignSteps.workspaceId, campaignSteps.campaignId, campaignSteps.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "campaign_step_variants_campaign_fkey",
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }).onDelete("cascade"),
    check("campaign_step_variants_label_format", sql`${t.label} ~ '^[A-E]$'`),
    check("campaign_step_variants_weight_range", sql`${t.weight} between 0 and 100`),
    check("campaign_step_variants_subject_length", sql`char_length(${t.subject}) <= 500`),
    check("campaign_step_variants_body_length", sql`char_length(${t.body}) <= 20000`),
    ...contentPolicies("campaign_step_variants", t),
  ],
);

/** Members read a campaign's content; its editors write it. */
function contentPolicies(table: string, t: { workspaceId: AnyPgColumn; campaignId: AnyPgColumn }) {
  return [
    pgPolicy(`${table}_members_select`, { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy(`${table}_editors_insert`, {
      for: "insert",
      to: authenticatedRole,
      withCheck: mayEditCampaignOf(t.workspaceId, t.campaignId),
    }),
    pgPolicy(`${table}_editors_update`, {
      for: "update",
      to: authenticatedRole,
      using: mayEditCampaignOf(t.workspaceId, t.campaignId),
      withCheck: mayEditCampaignOf(t.workspaceId, t.campaignId),
    }),
    pgPolicy(`${table}_editors_delete`, { for: "delete", to: authenticatedRole, using: mayEditCampaignOf(t.workspaceId, t.campaignId) }),
  ];
}

/**
 * Every decision on a submitted campaign, append-only: who, when, the hash of the exact content
 * decided on and that content itself (private.campaign_content(): what the campaign page diffs
 * against), and the comment (required for a rejection). Admins only.
 */
export const campaignApprovals = pgTable(
  "campaign_approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    decision: approvalDecision("decision").notNull(),
    contentHash: text("content_hash").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    comment: text("comment"),
    /** Always the deciding admin (RLS); kept empty once that user is deleted (the audit log keeps who). */
    decidedBy: uuid("decided_by").references(() => authUsers.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("campaign_approvals_campaign_idx").on(t.campaignId, t.decidedAt.desc()),
    foreignKey({
      name: "campaign_approvals_campaign_fkey",
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }).onDelete("cascade"),
    check("campaign_approvals_rejection_has_comment", sql`${t.decision} = 'approved' or char_length(btrim(${t.comment})) >= 1`),
    check("campaign_approvals_comment_length", sql`char_length(${t.comment}) <= 2000`),
    pgPolicy("campaign_approvals_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy("campaign_approvals_admins_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, ["admin"])} and ${t.decidedBy} = ${authUid}`,
    }),
  ],
);

/**
 * One lead in one launched campaign, written by the launch and sequence jobs on the service
 * connection (members read). Its sequence run (inngest/functions/campaigns) sends
 * `next_step` when `next_send_at` comes; `generation` names the run allowed to act on it: a
 * resume starts a new run with the next generation, and a run of an older one finds it is
 * superseded and ends without sending (DESIGN.md §7.2). One identity per enrollment, chosen at
 * launch, so every step of a lead's thread comes from the same mailbox.
 */
export const campaignEnrollments = pgTable(
  "campaign_enrollments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    leadId: uuid("lead_id").notNull(),
    status: enrollmentStatus("status").notNull().default("active"),
    /** The mailbox of this lead's whole thread (rotation across the campaign's identities at launch). */
    identityId: uuid("identity_id"),
    /** Position (1…n) of the step to send next; past the last step once completed. */
    nextStep: smallint("next_step").notNull().default(1),
    /** When the next step is due (already moved into the sending window); null once ended. */
    nextSendAt: timestamp("next_send_at", { withTimezone: true }),
    /** The sequence run allowed to act (see above). */
    generation: integer("generation").notNull().default(1),
    lastSentAt: timestamp("last_sent_at", { withTimezone: true }),
    /** Why it ended early (skipped or stopped): the cause, and words a rep understands. */
    endCause: enrollmentEndCause("end_cause"),
    stopReason: text("stop_reason"),
    /**
     * The lead's id in the Instantly campaign, when the campaign was launched through Instantly
     * (lib/integrations/instantly/push): Instantly runs the sequence, and the sync reflects its
     * state for that lead here. Null for enrollments our own sequences send.
     */
    instantlyLeadId: text("instantly_lead_id"),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("campaign_enrollments_campaign_lead_key").on(t.campaignId, t.leadId),
    unique("campaign_enrollments_workspace_id_id_key").on(t.workspaceId, t.id),
    index("campaign_enrollments_active_lead_idx")
      .on(t.workspaceId, t.leadId)
      .where(sql`${t.status} = 'active'`),
    index("campaign_enrollments_campaign_status_idx").on(t.campaignId, t.status, t.nextSendAt),
    // The campaign page's enrollments table pages in enrollment order (keyset on created_at, id):
    // without it each page sorted the whole campaign and hashed every lead of the workspace
    // (38 ms at 10,000 enrollments, growing with the workspace; 0.3 ms with it). One state's page
    // filters along the same index (a twin per state would cost every send an index write).
    index("campaign_enrollments_campaign_created_idx").on(t.campaignId, t.createdAt, t.id),
    foreignKey({
      name: "campaign_enrollments_campaign_fkey",
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "campaign_enrollments_lead_fkey",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "campaign_enrollments_identity_fkey",
      columns: [t.workspaceId, t.identityId],
      foreignColumns: [sendingIdentities.workspaceId, sendingIdentities.id],
    }),
    check("campaign_enrollments_next_step_range", sql`${t.nextStep} between 1 and 21`),
    check("campaign_enrollments_generation_positive", sql`${t.generation} >= 1`),
    check("campaign_enrollments_instantly_lead_id_length", sql`char_length(${t.instantlyLeadId}) between 1 and 200`),
    check("campaign_enrollments_ended_has_cause", sql`${t.status} in ('active', 'completed') or ${t.endCause} is not null`),
    pgPolicy("campaign_enrollments_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
  ],
);
