"use server";
import { defineAction } from "@/app/_server/action";
import { companyChoices } from "@/lib/companies/company-choices";
import { addLeadNote as addNote } from "@/lib/leads/add-lead-note";
import { changeLeadOwner as changeOwner } from "@/lib/leads/change-lead-owner";
import { changeLeadStatus as changeStatus } from "@/lib/leads/change-lead-status";
import { ZAddNote, ZChangeOwner, ZChangeStatus, ZFindCompanyChoices, ZUpdateLead } from "@/lib/leads/schemas";
import { updateLead as saveLead } from "@/lib/leads/update-lead";

/** The leads table, its side panel and every lead page: one layout revalidation covers them. */
const LEADS_PATH = "/leads";

// Each action needs a lead editor's role; which leads that role may change is the service's
// check (canEditLead, canSetOwner), and the leads RLS policy's after it.

export const updateLead = defineAction({
  name: "updateLead",
  schema: ZUpdateLead,
  auth: "leads.edit_own",
  handler: ({ session, tx }, { leadId, version, ...fields }) =>
    saveLead(tx, {
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      leadId,
      version,
      fields,
    }),
  revalidate: [LEADS_PATH],
});

export const changeLeadStatus = defineAction({
  name: "changeLeadStatus",
  schema: ZChangeStatus,
  auth: "leads.edit_own",
  handler: ({ session, tx }, { leadId, status, from }) =>
    changeStatus(tx, {
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      leadId,
      status,
      from,
    }),
  revalidate: [LEADS_PATH],
});

export const changeLeadOwner = defineAction({
  name: "changeLeadOwner",
  schema: ZChangeOwner,
  auth: "leads.edit_own",
  handler: ({ session, tx }, { leadId, ownerId, from }) =>
    changeOwner(tx, {
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      leadId,
      ownerId,
      from,
    }),
  revalidate: [LEADS_PATH],
});

export const addLeadNote = defineAction({
  name: "addLeadNote",
  schema: ZAddNote,
  auth: "leads.edit_own",
  handler: ({ session, tx }, { leadId, body }) =>
    addNote(tx, {
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      leadId,
      body,
    }),
  revalidate: [LEADS_PATH],
});

/** The edit form's company picker: the companies matching what was typed (read only; for those who may edit a lead). */
export const findCompanyChoices = defineAction({
  name: "findCompanyChoices",
  schema: ZFindCompanyChoices,
  auth: "leads.edit_own",
  handler: ({ session, tx }, { q }) => companyChoices(tx, { workspaceId: session.current.workspaceId, q }),
});
