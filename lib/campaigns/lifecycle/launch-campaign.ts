import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { campaignIdentities, campaigns, sendingIdentities } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { checkInstantlyLaunch } from "@/lib/integrations/instantly/push/delivery";
import { CAMPAIGN_CHANGED_SINCE_APPROVAL, lockCampaignForLifecycle, type LifecycleActor } from "./lock-for-lifecycle";
import type { LaunchCampaignInput } from "./schemas";

export type LifecycleResult = { campaignId: string; status: "running" | "paused" | "stopped" };

/**
 * An admin launches an approved campaign (DESIGN.md §7.1): it is set running and the launch job
 * (inngest/functions/campaigns/launch-campaign.ts) enrolls its audience in batches after the
 * commit. A campaign launched before (paused, edited, approved again) continues: the job
 * enrolls leads new to the audience and the resume job restarts the enrollments still active.
 *
 * At its first launch the admin chooses how it is delivered: through Resend (the default), or
 * through the workspace's Instantly account, checked here (connected with a key, the
 * workspace's time zone one Instantly has an equivalent for) before the push job
 * (inngest/functions/integrations/push-to-instantly.ts) sends the approved content there. A
 * launched campaign keeps its delivery; one sent through Instantly is not relaunched with other
 * content (Instantly holds the approved version).
 */
export async function launchCampaign(
  tx: Executor,
  actor: LifecycleActor,
  { campaignId, deliverThrough }: LaunchCampaignInput,
): Promise<LifecycleResult> {
  const campaign = await lockCampaignForLifecycle(tx, actor, campaignId, "launch");
  if (campaign.status !== "approved") {
    if (campaign.status === "draft" && campaign.approvedContentHash) throw new AppError("conflict", CAMPAIGN_CHANGED_SINCE_APPROVAL);
    if (campaign.status === "running") throw new AppError("conflict", "This campaign is already running.");
    throw new AppError("conflict", "Only an approved campaign can be launched.");
  }
  if (!campaign.approvedContentHash || campaign.currentHash !== campaign.approvedContentHash) {
    throw new AppError("conflict", CAMPAIGN_CHANGED_SINCE_APPROVAL);
  }
  const [usable] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(campaignIdentities)
    .innerJoin(sendingIdentities, eq(sendingIdentities.id, campaignIdentities.identityId))
    .where(and(eq(campaignIdentities.campaignId, campaign.id), isNull(sendingIdentities.archivedAt)));
  if (!usable?.n) throw new AppError("conflict", "Every sending identity of this campaign is archived: add one, then approve it again.");

  const relaunch = campaign.launchedAt !== null;
  const delivery = relaunch ? campaign.delivery : (deliverThrough ?? "resend");
  if (relaunch && deliverThrough && deliverThrough !== campaign.delivery) {
    throw new AppError(
      "conflict",
      `This campaign was first launched through ${campaign.delivery === "instantly" ? "Instantly" : "Resend"}: it keeps that delivery.`,
    );
  }
  if (relaunch && delivery === "instantly") {
    throw new AppError(
      "conflict",
      "This campaign was sent through Instantly, which keeps the version approved at its launch: it cannot take edited content. Stop it and launch a copy instead.",
    );
  }
  const instantly = delivery === "instantly" ? await checkInstantlyLaunch(tx, campaign.workspaceId) : null;
  await tx
    .update(campaigns)
    .set({
      status: "running",
      launchedAt: sql`coalesce(${campaigns.launchedAt}, now())`,
      pauseReason: null,
      pausedAt: null,
      pausedBy: null,
      pauseCause: null,
      delivery,
    })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.workspaceId, campaign.workspaceId)));
  await recordAudit(tx, {
    workspaceId: campaign.workspaceId,
    actorId: actor.userId,
    action: "campaign.launched",
    targetType: "campaign",
    targetId: campaign.id,
    metadata: {
      name: campaign.name,
      approvalId: campaign.approvalId,
      contentHash: campaign.approvedContentHash,
      relaunch,
      deliverThrough: delivery,
    },
  });
  const data = { workspaceId: campaign.workspaceId, campaignId: campaign.id, requestedBy: actor.userId };
  if (instantly) {
    const push = {
      ...data,
      accountId: instantly.accountId,
      contentHash: campaign.approvedContentHash,
      approvalId: campaign.approvalId,
    };
    afterCommit(tx, "push campaign to Instantly", async () => {
      await sendEvent({
        name: "integrations/instantly-push.requested",
        data: push,
        id: `instantly-push-${campaign.id}-${campaign.approvalId}`,
      });
    });
    return { campaignId: campaign.id, status: "running" };
  }
  afterCommit(tx, "launch campaign", async () => {
    await sendEvent([
      // One launch per approval: a replayed request enrolls nobody twice.
      { name: "campaigns/launch.requested", data, id: `launch-${campaign.id}-${campaign.approvalId}` },
      ...(relaunch ? [{ name: "campaigns/resume.requested" as const, data, id: `relaunch-${campaign.id}-${campaign.approvalId}` }] : []),
    ]);
  });
  return { campaignId: campaign.id, status: "running" };
}
