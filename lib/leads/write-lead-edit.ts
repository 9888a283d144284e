import "server-only";
import { and, desc, eq, notInArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { leadActivities, leads, profiles } from "@/db/schema";
import { sqlStateOf } from "@/db/sql-state";
import { AppError } from "@/lib/errors";
import { recordActivities, type EditableLeadField, type NewActivity } from "./activities";
import { isoMicros } from "@/lib/db-values/iso-micros";
import { DuplicateLeadError, findDuplicateLead } from "./find-duplicate-lead";
import type { LeadActor, LockedLead } from "./lock-lead";

/** What a change of a lead changed: fields by name, its tags, company, status and owner. */
export type LeadChange = EditableLeadField | "tags" | "company" | "status" | "owner";

/** One part of a change of a lead (its fields, its status or its owner), worked out against the locked lead before anything is written. */
export type LeadEdit = {
  changed: LeadChange[];
  /** The columns it sets. */
  set: Partial<typeof leads.$inferInsert>;
  /** Its timeline entries. */
  activities: NewActivity[];
};

export const NO_EDIT: LeadEdit = { changed: [], set: {}, activities: [] };

/**
 * Writes the parts of one change of a lead as ONE update of its row, then their timeline
 * entries. One statement, because the outbox trigger (migration 0082) runs once per statement
 * and records what that statement changed: a PATCH of fields, status and owner written as three
 * updates sent three webhook events (lead.updated twice, each with half the changes), where a
 * subscriber expects one lead.updated naming every changed column, plus lead.status_changed
 * when the status moved (event-types.ts). `lead` is the row as lockLeadForEdit locked it.
 */
export async function writeLeadEdit(
  tx: Executor,
  { workspaceId, actor, lead, edits }: { workspaceId: string; actor: LeadActor; lead: LockedLead; edits: LeadEdit[] },
): Promise<{ changed: LeadChange[]; version: string }> {
  const changed = edits.flatMap((edit) => edit.changed);
  if (changed.length === 0) return { changed, version: lead.version };
  const set: Partial<typeof leads.$inferInsert> = Object.assign({}, ...edits.map((edit) => edit.set));
  const update = (db: Executor) =>
    db
      .update(leads)
      .set(set)
      .where(and(eq(leads.id, lead.id), eq(leads.workspaceId, workspaceId), sql`${leads.updatedAt} = ${lead.version}::timestamptz`))
      .returning({ version: isoMicros(leads.updatedAt) });
  const identity = { email: set.email ?? null, linkedinUrl: set.linkedinUrl ?? null };
  let row: { version: string } | undefined;
  if (identity.email === null && identity.linkedinUrl === null) [row] = await update(tx);
  else {
    try {
      // A savepoint: the duplicate check (planFieldsEdit) cannot see a concurrent edit giving
      // another lead the same address until it commits, when the unique index refuses this one;
      // the transaction can then still name that lead, as createLead does.
      [row] = await tx.transaction((sp) => update(sp as unknown as Executor));
    } catch (error) {
      if (sqlStateOf(error) !== "23505") throw error;
      const raced = await findDuplicateLead(tx, { workspaceId, ...identity, exceptId: lead.id });
      if (raced) throw new DuplicateLeadError(raced);
      throw error;
    }
  }
  if (!row) throw await staleEditError(tx, workspaceId, actor, lead);
  const activities = edits.flatMap((edit) => edit.activities);
  await recordActivities(tx, activities);
  return { changed, version: row.version };
}

/** Timeline entries that do not change the lead's row (and so never make an edit stale). */
const NOT_EDITS = ["note_added", "email_sent", "email_opened", "email_replied", "email_bounced"] as const;

/** The refusal of an edit made from a version of the lead someone has changed since: who, and when. */
export async function staleEditError(tx: Executor, workspaceId: string, actor: LeadActor, lead: LockedLead): Promise<AppError> {
  const [last] = await tx
    .select({ at: leadActivities.createdAt, name: profiles.fullName, email: profiles.email, actorId: leadActivities.actorId })
    .from(leadActivities)
    .leftJoin(profiles, eq(profiles.id, leadActivities.actorId))
    .where(
      and(eq(leadActivities.leadId, lead.id), eq(leadActivities.workspaceId, workspaceId), notInArray(leadActivities.type, [...NOT_EDITS])),
    )
    .orderBy(desc(leadActivities.createdAt), desc(leadActivities.id))
    .limit(1);
  const who = !last
    ? "Someone"
    : last.actorId === actor.userId
      ? "You (in another tab or window)"
      : last.actorId
        ? (last.name ?? last.email ?? "A teammate")
        : "An automated job";
  const when = formatWhen(last?.at ?? lead.updatedAt);
  return new AppError(
    "conflict",
    `${who} changed this lead ${when}, after you opened it. Nothing was saved: reload to see their change, then make yours again.`,
  );
}

function formatWhen(at: Date): string {
  const minutes = Math.round((Date.now() - at.getTime()) / 60_000);
  const utc = `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  if (minutes < 1) return `moments ago (${utc})`;
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago (${utc})`;
  return `at ${utc}`;
}
