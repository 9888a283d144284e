import { sql } from "drizzle-orm";
import { check, foreignKey, index, jsonb, pgEnum, pgPolicy, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { timeOrderedId } from "./_time-ordered-id";
import { leads } from "./leads";
import { workspaces } from "./workspaces";

export const ACTIVITY_TYPES = [
  "created",
  "imported",
  "field_changed",
  "status_changed",
  "owner_changed",
  "tags_changed",
  "note_added",
  "deleted",
  "restored",
  "enriched",
  "email_sent",
  "email_opened",
  "email_replied",
  "email_bounced",
  "email_clicked",
  "email_complained",
  "unsubscribed",
  "reply_classified",
  "reply_action_undone",
  "referral_added",
] as const;

export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/**
 * What a person records on a timeline themselves (lib/leads, the reply actions). The rest —
 * emails sent, opened, replied, bounced, imports, enrichment, unsubscribes by link, AI
 * readings — are facts from the app's jobs and webhooks (the service connection), which a
 * person's token must not be able to write through the Data API.
 */
export const PERSON_ACTIVITY_TYPES = [
  "created",
  "field_changed",
  "status_changed",
  "owner_changed",
  "tags_changed",
  "note_added",
  "deleted",
  "restored",
  "reply_action_undone",
  "referral_added",
] as const satisfies readonly ActivityType[];

export const activityType = pgEnum("activity_type", ACTIVITY_TYPES);

/**
 * The lead timeline. Append-only for users (no update or delete policy): it is the record of
 * who changed what. `payload` holds the type's details, e.g. `{ field, before, after }` for
 * field_changed, `{ body }` for note_added (lib/leads/activities.ts owns the shapes).
 * Inserting one moves its lead's last_activity_at forward (trigger in 0010).
 */
export const leadActivities = pgTable(
  "lead_activities",
  {
    id: timeOrderedId(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").notNull(),
    type: activityType("type").notNull(),
    /** Null for system actors (imports run by jobs, webhooks); the job is named in payload. */
    actorId: uuid("actor_id").references(() => authUsers.id, { onDelete: "set null" }),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    // The time of the write, not of its transaction: what one transaction records (a bounce, then
    // the status it caused) keeps its order on the timeline instead of tying on now().
    createdAt: timestamp("created_at", { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    foreignKey({
      name: "lead_activities_lead_fkey",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }).onDelete("cascade"),
    index("lead_activities_lead_created_idx").on(t.leadId, t.createdAt.desc(), t.id.desc()),
    check("lead_activities_payload_object", sql`jsonb_typeof(${t.payload}) = 'object'`),
    pgPolicy("lead_activities_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    // Any lead editor may add to a timeline (a note on a teammate's lead), only as themselves,
    // only what a person does, and only now: created_at between the transaction's start and the
    // check, so an entry cannot be back- or forward-dated (nor move last_activity_at with it).
    pgPolicy("lead_activities_editors_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, ["admin", "manager", "sales_rep"])} and ${t.actorId} = ${authUid}
        and ${t.type} in (${sql.raw(PERSON_ACTIVITY_TYPES.map((type) => `'${type}'`).join(", "))})
        and ${t.createdAt} between now() and clock_timestamp()`,
    }),
  ],
);
