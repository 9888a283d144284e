import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { serviceDb, type Executor } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { endEnrollments } from "./end-enrollments";
import type { LifecycleResult } from "./launch-campaign";
import { lockCampaignForLifecycle, type LifecycleActor } from "./lock-for-lifecycle";

export const CAMPAIGN_STOPPED_REASON = "The campaign was stopped.";

/**
 * An admin stops a campaign for good: nothing more is sent and it cannot be resumed. The status
 * changes in the admin's transaction (the guard checks the role again); once it commits, every
 * active enrollment ends with campaign_stopped on the service connection (people hold no UPDATE
 * on enrollments) and campaigns/campaign.stopped cancels their runs. Should that follow-up fail,
 * nothing is sent anyway: the send step refuses a campaign that is not running.
 */
export async function stopCampaign(tx: Executor, actor: LifecycleActor, { campaignId }: { campaignId: string }): Promise<LifecycleResult> {
  const campaign = await lockCampaignForLifecycle(tx, actor, campaignId, "stop");
  if (campaign.status === "stopped") throw new AppError("conflict", "This campaign is already stopped.");
  if (campaign.status === "completed")
    throw new AppError("conflict", "This campaign has already completed: there is nothing left to stop.");
  if (campaign.status !== "running" && campaign.status !== "paused" && campaign.status !== "approved") {
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
  const { workspaceId } = campaign;
  afterCommit(tx, "stop campaign", async () => {
    const db = serviceDb();
    await endEnrollments(db, { workspaceId, campaignId, cause: "campaign_stopped", reason: CAMPAIGN_STOPPED_REASON, emit: false });
    await db
      .update(campaigns)
      .set({ finishedAt: sql`now()` })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)));
    await sendEvent({ name: "campaigns/campaign.stopped", data: { workspaceId, campaignId } });
  });
  return { campaignId: campaign.id, status: "stopped" };
}
