import "server-only";
import { and, desc, eq, notInArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { leadActivities, leads, profiles } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordActivities, type NewActivity } from "./activities";
import { DuplicateLeadError, findDuplicateLead } from "./find-duplicate-lead";
import { EDITABLE_LEAD_FIELDS, type EditableLeadField, type FieldValue } from "./lead-fields";
import { companyForLead } from "./lead-company";
import { lockLeadForEdit, type LeadActor, type LockedLead } from "./lock-lead";
import { emailKey } from "./normalize";
import { hasLeadIdentity, LEAD_IDENTITY_MESSAGE, type LeadFieldsPatch } from "./schemas";

export type UpdateLeadInput = {
  workspaceId: string;
  actor: LeadActor;
  leadId: string;
  /** The lead's `version` when the form was loaded; null to save over whatever changed since (the REST API without `version`). */
  version: string | null;
  /** The fields sent; one left out (undefined) stays as it is. */
  fields: LeadFieldsPatch;
};

/**
 * Saves the edit form. Optimistic concurrency on updated_at: if anyone changed the lead after
 * the form loaded (`version` differs), nothing is written and the message says who changed it
 * and when. Each changed field goes on the timeline as field_changed with before and after.
 */
export async function updateLead(tx: Executor, { workspaceId, actor, leadId, version, fields }: UpdateLeadInput) {
  const lead = await lockLeadForEdit(tx, { workspaceId, actor, leadId });
  if (version !== null && lead.version !== version) throw await staleEditError(tx, workspaceId, actor, lead);

  const changed = EDITABLE_LEAD_FIELDS.filter((field) => fields[field] !== undefined && (lead[field] ?? null) !== fields[field]);
  const added = fields.tags?.filter((t) => !lead.tags.includes(t)) ?? [];
  const removed = fields.tags ? lead.tags.filter((t) => !fields.tags!.includes(t)) : [];
  const tagsChanged = added.length > 0 || removed.length > 0;
  const companyChanged = fields.newCompanyName !== undefined || (fields.companyId !== undefined && fields.companyId !== lead.companyId);
  const saved: (EditableLeadField | "tags" | "company")[] = [
    ...changed,
    ...(tagsChanged ? ["tags" as const] : []),
    ...(companyChanged ? ["company" as const] : []),
  ];
  if (saved.length === 0) return { changed: saved, version: lead.version };
  const after = { ...lead, ...Object.fromEntries(changed.map((field) => [field, fields[field]])) };
  if (!hasLeadIdentity(after)) throw new AppError("invalid_input", LEAD_IDENTITY_MESSAGE, { firstName: [LEAD_IDENTITY_MESSAGE] });

  const emailChanged = changed.includes("email");
  const duplicate = await findDuplicateLead(tx, {
    workspaceId,
    email: emailChanged && fields.email && !(lead.email && emailKey(lead.email) === emailKey(fields.email)) ? fields.email : null,
    linkedinUrl: changed.includes("linkedinUrl") ? (fields.linkedinUrl ?? null) : null,
    exceptId: leadId,
  });
  if (duplicate) throw new DuplicateLeadError(duplicate);
  const company = companyChanged ? await companyForLead(tx, workspaceId, actor, fields) : null;

  const patch = {
    ...Object.fromEntries(changed.map((field) => [field, fields[field]])),
    ...(tagsChanged ? { tags: fields.tags } : {}),
    // The company's name follows by trigger (leads_company_name_update, migrations 0010 and 0082).
    ...(companyChanged ? { companyId: company?.id ?? null } : {}),
  };
  // A new address has not been verified: its status starts again from unknown.
  const verification = emailChanged ? { emailStatus: "unknown" as const, emailVerifiedAt: null } : {};
  const [row] = await tx
    .update(leads)
    .set({ ...patch, ...verification })
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId), sql`${leads.updatedAt} = ${version ?? lead.version}::timestamptz`))
    .returning({ version: sql<string>`to_char(${leads.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` });
  if (!row) throw await staleEditError(tx, workspaceId, actor, lead);

  const entries = changed.map((field): NewActivity => ({
    workspaceId,
    leadId,
    type: "field_changed",
    actorId: actor.userId,
    payload: { field, before: lead[field] as FieldValue, after: (fields[field] ?? null) as FieldValue },
  }));
  if (tagsChanged) entries.push({ workspaceId, leadId, type: "tags_changed", actorId: actor.userId, payload: { added, removed } });
  if (companyChanged) {
    // Names for the timeline to read (a company renamed or deleted later keeps what the change was), ids to follow.
    entries.push({
      workspaceId,
      leadId,
      type: "field_changed",
      actorId: actor.userId,
      payload: {
        field: "company",
        before: lead.companyName,
        after: company?.name ?? null,
        beforeId: lead.companyId,
        afterId: company?.id ?? null,
      },
    });
  }
  await recordActivities(tx, entries);
  return { changed: saved, version: row.version };
}

/** Timeline entries that do not change the lead's row (and so never make an edit stale). */
const NOT_EDITS = ["note_added", "email_sent", "email_opened", "email_replied", "email_bounced"] as const;

async function staleEditError(tx: Executor, workspaceId: string, actor: LeadActor, lead: LockedLead): Promise<AppError> {
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
