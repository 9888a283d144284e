import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";

/**
 * DESIGN.md §5 for one lead: managers and admins edit every lead, sales reps their own and
 * unassigned ones, analysts and viewers none. The same rule is the leads RLS policy
 * (db/schema/leads.ts); services check it first so the user gets a clear refusal.
 */
export function canEditLead(role: WorkspaceRole, userId: string, ownerId: string | null): boolean {
  if (can(role, "leads.edit_all")) return true;
  return can(role, "leads.edit_own") && (ownerId === null || ownerId === userId);
}

/** Giving a lead to someone else is assigning (managers, admins); a rep may only take an unassigned lead or give theirs back. */
export function canSetOwner(role: WorkspaceRole, userId: string, from: string | null, to: string | null): boolean {
  if (can(role, "leads.assign")) return true;
  return canEditLead(role, userId, from) && (to === null || to === userId);
}

/**
 * Who may own a lead: someone who can work one (sales reps and up). A lead given to a viewer or
 * an analyst could be changed by no one but a manager, and a rep could no longer take it.
 */
export function canOwnLeads(role: WorkspaceRole): boolean {
  return can(role, "leads.edit_own");
}
