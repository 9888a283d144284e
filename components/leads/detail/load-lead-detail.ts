import "server-only";
import { z } from "zod";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { isAiConfigured } from "@/lib/ai/model";
import { listLeadReplies, type ReplyReadingView } from "@/lib/ai/replies/list-lead-replies";
import { listLeadApolloEnrichments, type LeadApolloEnrichmentView } from "@/lib/integrations/apollo/enrich-leads/read-lead-enrichments";
import { getLeadDetail } from "@/lib/leads/get-lead";
import { leadSampleOrigin, type LeadSampleOrigin } from "@/lib/leads/lead-sample-origin";
import type { LeadDetail } from "@/lib/leads/lead-detail-types";
import { canEditLead, canSetOwner } from "@/lib/leads/lead-permissions";
import { listMembers } from "@/lib/team/list-members";

export type OwnerChoice = { userId: string | null; name: string };

/** What `<LeadDetail>` renders: the lead and what this viewer may do with it. */
export type LeadDetailView = {
  detail: LeadDetail;
  viewer: {
    userId: string;
    /** Edit form and status menu (canEditLead; never on a deleted lead). */
    canEdit: boolean;
    /** Owner menu: some owner other than the current one is allowed (canSetOwner). */
    canChangeOwner: boolean;
    canNote: boolean;
  };
  /** The owners this viewer may choose, "Unassigned" (userId null) included when allowed. */
  ownerChoices: OwnerChoice[];
  /** What Apollo's People Enrichment said about the lead, newest first (the enrichment panel). */
  apollo: LeadApolloEnrichmentView[];
  /**
   * A vendor's sandbox wrote this lead (`created`: the lead itself came from one of its imports)
   * or some of its values, recorded when the import or enrichment ran; null for a lead no
   * sandbox touched. The leads table marks the same rows.
   */
  sample: LeadSampleOrigin | null;
  /** The lead's replies as the model read them, newest first, and whether a model is configured at all. */
  replies: {
    items: ReplyReadingView[];
    aiConfigured: boolean;
    canAddLead: boolean;
    /** Undo of an unsubscribe reading, which takes the address off the suppression list (admins). */
    canLiftUnsubscribe: boolean;
  };
};

/**
 * Loads one lead for the lead page or the table's side panel, as the signed-in user (RLS
 * applies). Null when the id is malformed or the lead is not in the current workspace: the
 * caller shows its "not found".
 *
 *   const view = await loadLeadDetail(session, leadId);
 *   if (!view) notFound();
 *   return <LeadDetail view={view} variant="panel" />;
 */
export async function loadLeadDetail(
  session: WorkspaceSession,
  leadId: string,
  options: { before?: string } = {},
): Promise<LeadDetailView | null> {
  if (!z.uuid().safeParse(leadId).success) return null;
  const { workspaceId, role } = session.current;
  const userId = session.userId;
  try {
    return await withUserTx(session.claims, async (tx) => {
      const [detail, apollo, replies] = await Promise.all([
        getLeadDetail(tx, { workspaceId, leadId, before: options.before }),
        listLeadApolloEnrichments(tx, { workspaceId, leadId }),
        listLeadReplies(tx, { workspaceId, leadId }),
      ]);
      const { lead } = detail;
      const sample = await leadSampleOrigin(tx, { workspaceId, lead });
      const live = !lead.deletedAt;
      const canEdit = live && canEditLead(role, userId, lead.ownerId);
      const members = canEdit && can(role, "leads.assign") ? await listMembers(tx, { workspaceId }) : [];
      const candidates: OwnerChoice[] = [
        { userId: null, name: "Unassigned" },
        ...(members.length
          ? members
              // Only people who can work a lead are offered (and whoever owns it now).
              .filter((m) => can(m.role, "leads.edit_own") || m.userId === lead.ownerId)
              .map((m) => ({ userId: m.userId, name: m.fullName || m.email }))
          : [{ userId, name: `${detail.people[userId]?.name ?? session.email} (me)` }]),
      ];
      const ownerChoices = canEdit
        ? candidates.filter((c) => c.userId === lead.ownerId || canSetOwner(role, userId, lead.ownerId, c.userId))
        : [];
      return {
        detail,
        viewer: {
          userId,
          canEdit,
          canChangeOwner: ownerChoices.some((c) => c.userId !== lead.ownerId),
          canNote: live && can(role, "leads.edit_own"),
        },
        ownerChoices,
        apollo,
        sample,
        replies: {
          items: replies,
          aiConfigured: isAiConfigured(),
          canAddLead: live && can(role, "leads.create"),
          canLiftUnsubscribe: can(role, "suppression.manage"),
        },
      };
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}
