import "server-only";
import type { Database } from "@/db";
import { notify } from "@/lib/notifications/notify";
import type { CampaignForDecision } from "./lock-for-decision";

/**
 * Tells the campaign's author (and whoever submitted it, if someone else) of the decision, in
 * the decision's transaction: in the bell at once, by email once it commits (lib/notifications).
 */
export async function notifyAuthorOfDecision(
  tx: Database,
  { campaign }: CampaignForDecision,
  decision: { actorId: string } & ({ kind: "campaign_approved" } | { kind: "campaign_rejected"; comment: string }),
): Promise<void> {
  const userIds = [...new Set([campaign.ownerId, campaign.submittedBy].filter((id): id is string => !!id))];
  if (userIds.length === 0) return;
  const approved = decision.kind === "campaign_approved";
  await notify(tx, {
    workspaceId: campaign.workspaceId,
    actorId: decision.actorId,
    to: { userIds },
    kind: decision.kind,
    title: approved ? `"${campaign.name}" was approved` : `"${campaign.name}" needs changes`,
    body: approved
      ? "It can be launched exactly as approved; any change returns it to draft for a new approval."
      : `The admin's comment: ${decision.comment}`,
    link: `/campaigns/${campaign.id}`,
    subjectId: campaign.id,
  });
}
