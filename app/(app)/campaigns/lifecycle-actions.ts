"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import { launchCampaign } from "@/lib/campaigns/lifecycle/launch-campaign";
import { pauseCampaign } from "@/lib/campaigns/lifecycle/pause-campaign";
import { resumeCampaign } from "@/lib/campaigns/lifecycle/resume-campaign";
import { ZCampaignLifecycleInput, ZLaunchCampaignInput, ZPauseCampaignInput } from "@/lib/campaigns/lifecycle/schemas";
import { stopCampaign } from "@/lib/campaigns/lifecycle/stop-campaign";
import { withdrawCampaignApproval } from "@/lib/campaigns/lifecycle/withdraw-approval";

const actorOf = (session: WorkspaceSession) => ({
  userId: session.userId,
  workspaceId: session.current.workspaceId,
  role: session.current.role,
});
const common = { auth: "campaigns.run" as const, revalidate: ["/campaigns"] };
// Launching, pausing, resuming and stopping each start work (enrolling and sending, or Instantly's
// push and mirror jobs), so they count against the workspace's limit on campaign changes.
const changing = { ...common, workspaceLimit: "campaign-changes" as const };

/**
 * An admin launches an approved campaign: its audience is enrolled by the launch job, or, when
 * they chose to deliver it through Instantly, pushed there by the push job.
 */
export const launchCampaignAction = defineAction({
  ...changing,
  name: "launchCampaignAction",
  schema: ZLaunchCampaignInput,
  handler: ({ session, tx }, input) => launchCampaign(tx, actorOf(session), input),
});

/** An admin pauses a running campaign, saying why: pending sends are held at once. */
export const pauseCampaignAction = defineAction({
  ...changing,
  name: "pauseCampaignAction",
  schema: ZPauseCampaignInput,
  handler: ({ session, tx }, input) => pauseCampaign(tx, actorOf(session), input),
});

/** An admin resumes a paused campaign: each enrollment continues from its next step. */
export const resumeCampaignAction = defineAction({
  ...changing,
  name: "resumeCampaignAction",
  schema: ZCampaignLifecycleInput,
  handler: ({ session, tx }, input) => resumeCampaign(tx, actorOf(session), input),
});

/** An admin stops a campaign for good: every enrollment ends. */
export const stopCampaignAction = defineAction({
  ...changing,
  name: "stopCampaignAction",
  schema: ZCampaignLifecycleInput,
  handler: ({ session, tx }, input) => stopCampaign(tx, actorOf(session), input),
});

/** An admin takes back the approval of a campaign never launched: it returns to draft. */
export const withdrawCampaignApprovalAction = defineAction({
  ...common,
  name: "withdrawCampaignApprovalAction",
  schema: ZCampaignLifecycleInput,
  handler: ({ session, tx }, input) => withdrawCampaignApproval(tx, actorOf(session), input),
});
