import "server-only";
import type { Executor } from "@/db";
import { AppError } from "@/lib/errors";
import type { NewActivity } from "./activities";
import { DuplicateLeadError, findDuplicateLead } from "./find-duplicate-lead";
import { EDITABLE_LEAD_FIELDS, type FieldValue } from "./lead-fields";
import { companyForLead } from "./lead-company";
import { lockLeadForEdit, type LeadActor, type LockedLead } from "./lock-lead";
import { emailKey } from "./normalize";
import { hasLeadIdentity, LEAD_IDENTITY_MESSAGE, type LeadFieldsPatch } from "./schemas";
import { NO_EDIT, staleEditError, writeLeadEdit, type LeadChange, type LeadEdit } from "./write-lead-edit";

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
  const edit = await planFieldsEdit(tx, { workspaceId, actor, lead, fields });
  return writeLeadEdit(tx, { workspaceId, actor, lead, edits: [edit] });
}

/**
 * The fields sent that differ from the locked lead, with their timeline entries, once the lead
 * they leave is still someone and no other lead has its email or LinkedIn profile. A company
 * named in the form is added to the workspace here (companyForLead).
 */
export async function planFieldsEdit(
  tx: Executor,
  { workspaceId, actor, lead, fields }: { workspaceId: string; actor: LeadActor; lead: LockedLead; fields: LeadFieldsPatch },
): Promise<LeadEdit> {
  const changed = EDITABLE_LEAD_FIELDS.filter((field) => fields[field] !== undefined && (lead[field] ?? null) !== fields[field]);
  const added = fields.tags?.filter((t) => !lead.tags.includes(t)) ?? [];
  const removed = fields.tags ? lead.tags.filter((t) => !fields.tags!.includes(t)) : [];
  const tagsChanged = added.length > 0 || removed.length > 0;
  const companyChanged = fields.newCompanyName !== undefined || (fields.companyId !== undefined && fields.companyId !== lead.companyId);
  const saved: LeadChange[] = [...changed, ...(tagsChanged ? ["tags" as const] : []), ...(companyChanged ? ["company" as const] : [])];
  if (saved.length === 0) return NO_EDIT;
  const after = { ...lead, ...Object.fromEntries(changed.map((field) => [field, fields[field]])) };
  if (!hasLeadIdentity(after)) throw new AppError("invalid_input", LEAD_IDENTITY_MESSAGE, { firstName: [LEAD_IDENTITY_MESSAGE] });

  const emailChanged = changed.includes("email");
  const duplicate = await findDuplicateLead(tx, {
    workspaceId,
    email: emailChanged && fields.email && !(lead.email && emailKey(lead.email) === emailKey(fields.email)) ? fields.email : null,
    linkedinUrl: changed.includes("linkedinUrl") ? (fields.linkedinUrl ?? null) : null,
    exceptId: lead.id,
  });
  if (duplicate) throw new DuplicateLeadError(duplicate);
  const company = companyChanged ? await companyForLead(tx, workspaceId, actor, fields) : null;

  const set = {
    ...Object.fromEntries(changed.map((field) => [field, fields[field]])),
    ...(tagsChanged ? { tags: fields.tags } : {}),
    // The company's name follows by trigger (leads_company_name_update, migrations 0010 and 0082).
    ...(companyChanged ? { companyId: company?.id ?? null } : {}),
    // A new address has not been verified: its status starts again from unknown.
    ...(emailChanged ? { emailStatus: "unknown" as const, emailVerifiedAt: null } : {}),
  };

  const activities = changed.map((field): NewActivity => ({
    workspaceId,
    leadId: lead.id,
    type: "field_changed",
    actorId: actor.userId,
    payload: { field, before: lead[field] as FieldValue, after: (fields[field] ?? null) as FieldValue },
  }));
  if (tagsChanged) {
    activities.push({ workspaceId, leadId: lead.id, type: "tags_changed", actorId: actor.userId, payload: { added, removed } });
  }
  if (companyChanged) {
    // Names for the timeline to read (a company renamed or deleted later keeps what the change was), ids to follow.
    activities.push({
      workspaceId,
      leadId: lead.id,
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
  return { changed: saved, set, activities };
}
