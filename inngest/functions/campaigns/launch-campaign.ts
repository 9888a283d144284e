import { withServiceTx, serviceDb } from "@/db";
import { campaignLaunchRequested, inngest, type EventContext } from "@/inngest/client";
import { enrollAudienceBatch } from "@/lib/campaigns/lifecycle/enroll-audience";
import { beginEnrolling, finishEnrolling, holdLaunch } from "@/lib/campaigns/lifecycle/launch-progress";
import { startEvents } from "./start-events";

/**
 * A launched campaign's audience, enrolled in batches (lib/campaigns/lifecycle/enroll-audience.ts):
 * per batch one step that enrolls up to 1,000 leads in one transaction and one step.sendEvent
 * that starts their sequence runs (event ids `enrollment-<id>-<generation>`: a replayed batch
 * starts no second run). Then the campaign may complete once its last enrollment ends. A
 * campaign stopped or edited meanwhile ends the launch; one whose mailboxes were all archived
 * since, or whose launch failed for good, pauses itself with that reason.
 */
export async function launchCampaign({ event, step }: EventContext<"campaigns/launch.requested">) {
  const { workspaceId, campaignId } = event.data;
  await step.run("begin", () => beginEnrolling(serviceDb(), { workspaceId, campaignId }));
  let cursor: { after: string | null; offset: number } = { after: null, offset: 0 };
  for (let batch = 0; ; batch++) {
    const result = await step.run(`enroll-${batch}`, () =>
      withServiceTx((tx) => enrollAudienceBatch(tx, { workspaceId, campaignId, ...cursor })),
    );
    if (result.halted === "no_identity" || result.halted === "no_step") {
      const why = result.halted;
      const { paused } = await step.run("hold", () => holdLaunch({ workspaceId, campaignId, why }));
      return { enrolled: result.offset, halted: why, paused };
    }
    if (result.halted) return { enrolled: result.offset, halted: result.halted };
    if (result.started.length > 0) await step.sendEvent(`start-${batch}`, startEvents(workspaceId, campaignId, result.started));
    if (result.after === null) {
      const { completed } = await step.run("finish", () => finishEnrolling(serviceDb(), { workspaceId, campaignId }));
      return { enrolled: result.offset, completed };
    }
    cursor = { after: result.after, offset: result.offset };
  }
}

/**
 * The launch failed for good (its retries spent): rather than a campaign left running with
 * nobody (or not everybody) enrolled and nothing to say so, it pauses itself saying the launch
 * failed, audited and with its admins told; Resume asks for the launch again.
 */
export async function holdFailedLaunch({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const { workspaceId, campaignId } = event.data.event.data as EventContext<"campaigns/launch.requested">["event"]["data"];
  return holdLaunch({ workspaceId, campaignId, why: "launch_failed", error: error.message });
}

export const launchCampaignFunction = inngest.createFunction(
  {
    id: "launch-campaign",
    name: "Enroll a launched campaign's audience",
    triggers: [campaignLaunchRequested],
    // One launch at a time per campaign (a relaunch waits for the launch before it).
    concurrency: { limit: 1, key: "event.data.campaignId" },
    retries: 5,
    onFailure: holdFailedLaunch,
  },
  launchCampaign,
);
