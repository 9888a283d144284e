import "server-only";
import type { Database } from "@/db";
import { notify } from "@/lib/notifications/notify";
import type { CampaignForDecision } from "./lock-for-decision";

type Decision = { actorId: string } & (
  | { kind: "campaign_approved" }
  | { kind: "campaign_rejected"; comment: string }
  // An admin took back an approval before the launch (lib/campaigns/lifecycle/withdraw-approval.ts).
  | { kind: "campaign_approval_withdrawn" }
);

/**
 * Tells the campaign's author (and whoever submitted it, if someone else) of a decision on it,
 * in the decision's transaction: in the bell at once, by email once it commits (lib/notifications).
 */
export async function notifyAuthorOfDecision(
  tx: Database,
  { campaign }: Pick<CampaignForDecision, "campaign">,
  decision: Decision,
): Promise<void> {
  const userIds = [...new Set([campaign.ownerId, campaign.submittedBy].filter((id): id is string => !!id))];
  if (userIds.length === 0) return;
  const { title, body } = wordsFor(campaign.name, decision);
  await notify(tx, {
    workspaceId: campaign.workspaceId,
    actorId: decision.actorId,
    to: { userIds },
    kind: decision.kind,
    title,
    body,
    link: `/campaigns/${campaign.id}`,
    subjectId: campaign.id,
  });
}

function wordsFor(name: string, decision: Decision): { title: string; body: string } {
  switch (decision.kind) {
    case "campaign_approved":
      return {
        title: `"${name}" was approved`,
        body: "It can be launched exactly as approved; any change returns it to draft for a new approval.",
      };
    case "campaign_rejected":
      return { title: `"${name}" needs changes`, body: `The admin's comment: ${decision.comment}` };
    case "campaign_approval_withdrawn":
      return {
        title: `"${name}" is back in draft`,
        body: "An admin withdrew its approval before it was launched. Change it if needed and submit it for approval again.",
      };
  }
}
