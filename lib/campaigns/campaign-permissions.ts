import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import type { CampaignStatus } from "@/db/schema/campaign-enums";

/** Who is changing a campaign: the services check the role themselves, RLS checks again. */
export type CampaignActor = { userId: string; role: WorkspaceRole };

/**
 * DESIGN.md §5 for one campaign, as the campaigns RLS policy says it (db/schema/campaigns.ts):
 * managers and admins edit every campaign of the workspace, sales reps their own.
 */
export function canEditCampaign(role: WorkspaceRole, userId: string, ownerId: string | null): boolean {
  if (!can(role, "campaigns.draft")) return false;
  return role === "admin" || role === "manager" || ownerId === userId;
}

/** Why the content of a campaign in this status cannot change now, or null when it can. */
export function editRefusal(status: CampaignStatus): string | null {
  if (status === "running") return "This campaign is sending. Pause it first, then edit it (it returns to draft and needs a new approval).";
  if (status === "completed" || status === "stopped")
    return "This campaign has finished: its emails can no longer change. Duplicate it to send again.";
  return null;
}

/** Statuses in which a content change sends the campaign back to draft (the editor warns first). */
export function editReturnsToDraft(status: CampaignStatus): boolean {
  return status === "pending_approval" || status === "approved" || status === "paused";
}
