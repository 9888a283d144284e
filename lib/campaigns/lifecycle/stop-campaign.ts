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

/** What the campaign page says of an enrollment ended by the stop (written by private.finish_campaign_stop, migration 0032). */
export const CAMPAIGN_STOPPED_REASON = "The campaign was stopped.";

/**
 * An admin stops a campaign for good: nothing more is sent and it cannot be resumed (a campaign
 * edited since its launch too: it has enrollments, and could not be deleted). The status
 * changes in the admin's transaction (the guard checks the role again) and, in the same
 * transaction, every active enrollment ends with campaign_stopped and the campaign records when it
 * finished (private.finish_campaign_stop, migration 0032: people hold no UPDATE on enrollments):
 * a process that dies after the commit leaves no stopped campaign with active enrollments. Once it commits, campaigns/campaign.stopped cancels
 * the sleeping runs; should that event be lost, a run that wakes finds its enrollment ended
 * (and the send step refuses a campaign that is not running anyway).
 */
export async function stopCampaign(tx: Executor, actor: LifecycleActor, { campaignId }: { campaignId: string }): Promise<LifecycleResult> {
  const campaign = await lockCampaignForLifecycle(tx, actor, campaignId, "stop");
  if (campaign.status === "stopped") throw new AppError("conflict", "This campaign is already stopped.");
  if (campaign.status === "completed")
    throw new AppError("conflict", "This campaign has already completed: there is nothing left to stop.");
  // Edited since its launch (back in draft, or submitted again), it still has its enrollments.
  const launchedSinceEdited = (campaign.status === "draft" || campaign.status === "pending_approval") && campaign.launchedAt !== null;
  if (campaign.status !== "running" && campaign.status !== "paused" && campaign.status !== "approved" && !launchedSinceEdited) {
    throw new AppError("conflict", "Only an approved, running or paused campaign can be stopped.");
  }
  await tx
    .update(campaigns)
    .set({ status: "stopped" })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.workspaceId, campaign.workspaceId)));
  await recordAudit(tx, {
    workspaceId: campaign.workspaceId,
    actorId: actor.userId,
    action: "campaign.stopped",
    targetType: "campaign",
    targetId: campaign.id,
    metadata: { name: campaign.name, from: campaign.status },
  });
  await tx.execute(sql`select private.finish_campaign_stop(${campaign.id}::uuid)`);
  const { workspaceId } = campaign;
  // Sent through Instantly: its campaign is paused for good there (Instantly has no stop).
  const push = campaign.delivery === "instantly" ? await pushOf(tx, workspaceId, campaign.id) : null;
  afterCommit(tx, "stop campaign", async () => {
    await sendEvent([
      { name: "campaigns/campaign.stopped", data: { workspaceId, campaignId } },
      ...(push
        ? [
            {
              name: "integrations/instantly-mirror.requested" as const,
              data: { workspaceId, campaignId, accountId: push.accountId, action: "stop" as const },
            },
          ]
        : []),
    ]);
  });
  return { campaignId: campaign.id, status: "stopped" };
}
