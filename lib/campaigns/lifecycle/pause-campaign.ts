import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { pushOf } from "@/lib/integrations/instantly/push/delivery";
import type { LifecycleResult } from "./launch-campaign";
import { lockCampaignForLifecycle, type LifecycleActor } from "./lock-for-lifecycle";
import type { PauseCampaignInput } from "./schemas";

/**
 * An admin pauses a running campaign, saying why: every pending send is held at once (the
 * sequence runs are cancelled by campaigns/campaign.paused, and the send step re-checks the
 * status anyway). Each enrollment keeps its next step for the resume.
 */
export async function pauseCampaign(
  tx: Executor,
  actor: LifecycleActor,
  { campaignId, reason }: PauseCampaignInput,
): Promise<LifecycleResult> {
  const campaign = await lockCampaignForLifecycle(tx, actor, campaignId, "pause");
  if (campaign.status === "paused") throw new AppError("conflict", "This campaign is already paused.");
  if (campaign.status !== "running") throw new AppError("conflict", "Only a running campaign can be paused.");
  await tx
    .update(campaigns)
    .set({ status: "paused", pauseReason: reason, pausedAt: sql`now()`, pausedBy: actor.userId, pauseCause: "manual" })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.workspaceId, campaign.workspaceId)));
  await recordAudit(tx, {
    workspaceId: campaign.workspaceId,
    actorId: actor.userId,
    action: "campaign.paused",
    targetType: "campaign",
    targetId: campaign.id,
    metadata: { name: campaign.name, reason },
  });
  // Sent through Instantly: the Instantly campaign is paused too (before its push started, the
  // push reads our status before activating).
  const push = campaign.delivery === "instantly" ? await pushOf(tx, campaign.workspaceId, campaign.id) : null;
  afterCommit(tx, "pause campaign", async () => {
    await sendEvent([
      { name: "campaigns/campaign.paused", data: { workspaceId: campaign.workspaceId, campaignId: campaign.id } },
      ...(push
        ? [
            {
              name: "integrations/instantly-mirror.requested" as const,
              data: { workspaceId: campaign.workspaceId, campaignId: campaign.id, accountId: push.accountId, action: "pause" as const },
            },
          ]
        : []),
    ]);
  });
  return { campaignId: campaign.id, status: "paused" };
}
