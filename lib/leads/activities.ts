import type { Executor } from "@/db";
import { leadActivities, type ActivityType, type LeadSource, type LeadStatus } from "@/db/schema";
import type { ReplyActionKind, ReplyCategory, ReplyReferral } from "@/lib/ai/replies/reply-categories";
import type { EditableLeadField, FieldValue } from "./lead-fields";

export type { EditableLeadField, FieldValue } from "./lead-fields";

/**
 * What each timeline entry's `payload` holds (lead_activities.payload). Every writer of the
 * timeline (the lead page, bulk actions, imports, enrichment, sending) records through
 * `recordActivities`, so the shapes stay the ones the timeline knows how to show.
 */
/** Set when the change was one lead of a bulk action (lib/leads/bulk): which operation. */
type Bulk = { bulkOperationId?: string };

export type ActivityPayloads = {
  created: { source?: LeadSource };
  /**
   * A job imported the lead: from where, and which import, file and row when known; `sandbox`
   * when a vendor's sandbox served it (sample data: lib/leads/lead-sample-origin.ts).
   */
  imported: { source?: LeadSource; importId?: string; file?: string; row?: number; sandbox?: boolean };
  /** One entry per field changed; values as shown to people (text, number or null). */
  field_changed:
    | { field: EditableLeadField; before: FieldValue; after: FieldValue }
    /** The lead's company: the names as they were then, and the companies' ids (null: none). */
    | { field: "company"; before: string | null; after: string | null; beforeId: string | null; afterId: string | null };
  /** `via: "unsubscribe_undo"`: the lead itself, with the Undo of its unsubscribe page. */
  status_changed: { before: LeadStatus; after: LeadStatus; via?: "unsubscribe_undo" } & Bulk;
  /** Member user ids; null is "unassigned". */
  owner_changed: { before: string | null; after: string | null } & Bulk;
  tags_changed: { added: string[]; removed: string[] } & Bulk;
  note_added: { body: string };
  deleted: Bulk;
  restored: Bulk;
  enriched: { provider: string; fields?: string[] };
  email_sent: { messageId?: string; campaignId?: string; subject?: string };
  email_opened: { messageId?: string; campaignId?: string };
  email_replied: { messageId?: string; campaignId?: string; subject?: string };
  email_bounced: { messageId?: string; campaignId?: string; reason?: string };
  email_clicked: { messageId?: string; campaignId?: string; link?: string };
  email_complained: { messageId?: string; campaignId?: string };
  /** The lead unsubscribed (a campaign email's link or header, or an admin on their behalf). */
  /** `statusBefore`: the lead's status until then, which the unsubscribe page's Undo restores. */
  unsubscribed: { messageId?: string; campaignId?: string; via?: "link" | "one_click" | "reply" | "admin"; statusBefore?: LeadStatus };
  /**
   * The model read a reply (lib/ai/replies): what it is, how sure, and the one action taken; or
   * a person did (the activity's actor), who gives no confidence.
   */
  reply_classified: {
    classificationId: string;
    category: ReplyCategory;
    confidence?: number;
    returnDate?: string;
    referral?: ReplyReferral;
    action?: ReplyActionKind;
  };
  reply_action_undone: { classificationId: string; action: ReplyActionKind };
  /** A referral from a reply became (or was linked to) a lead: on the referrer's timeline and the new lead's. */
  referral_added: { classificationId: string; referredLeadId?: string; referredByLeadId?: string };
};

export type NewActivity = {
  [T in ActivityType]: {
    workspaceId: string;
    leadId: string;
    type: T;
    /** The person who acted; null for a job or webhook (then the payload names it). */
    actorId: string | null;
    payload: ActivityPayloads[T];
  };
}[ActivityType];

/** PostgreSQL takes at most 65,535 parameters per statement; 5 per row leaves ample margin. */
const CHUNK = 5_000;

/**
 * Appends entries to lead timelines in as few statements as possible (a bulk action records
 * thousands at once; the timeline trigger then moves each lead's last_activity_at once per
 * statement). Runs in the caller's transaction: the change and its record commit together.
 */
export async function recordActivities(tx: Executor, rows: readonly NewActivity[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    await tx.insert(leadActivities).values(rows.slice(start, start + CHUNK).map(activityRow));
  }
}

/** One entry, answering its id (a note the REST API answers with). */
export async function recordActivity(tx: Executor, row: NewActivity): Promise<string> {
  const [inserted] = await tx.insert(leadActivities).values(activityRow(row)).returning({ id: leadActivities.id });
  return inserted!.id;
}

function activityRow(row: NewActivity) {
  return {
    workspaceId: row.workspaceId,
    leadId: row.leadId,
    type: row.type,
    actorId: row.actorId,
    payload: row.payload as Record<string, unknown>,
  };
}
