import { withServiceTx } from "@/db";
import { campaignResumeRequested, inngest, type EventContext } from "@/inngest/client";
import { restartEnrollmentsBatch } from "@/lib/campaigns/lifecycle/restart-enrollments";
import { startEvents } from "./start-events";

/**
 * A resumed (or relaunched) campaign's active enrollments restart in batches: each moves to its
 * next generation and a new sequence run continues from its next step; the old runs, cancelled
 * by the pause or not, find themselves superseded and end without sending.
 */
export async function resumeCampaign({ event, step }: EventContext<"campaigns/resume.requested">) {
  const { workspaceId, campaignId } = event.data;
  let after: string | null = null;
  let restarted = 0;
  for (let batch = 0; ; batch++) {
    const result = await step.run(`restart-${batch}`, () =>
      withServiceTx((tx) => restartEnrollmentsBatch(tx, { workspaceId, campaignId, after })),
    );
    if (result.halted) return { restarted, halted: result.halted };
    if (result.started.length > 0) await step.sendEvent(`start-${batch}`, startEvents(workspaceId, campaignId, result.started));
    restarted += result.started.length;
    if (result.after === null) return { restarted };
    after = result.after;
  }
}

export const resumeCampaignFunction = inngest.createFunction(
  {
    id: "resume-campaign",
    name: "Restart a resumed campaign's enrollments",
    triggers: [campaignResumeRequested],
    concurrency: { limit: 1, key: "event.data.campaignId" },
    retries: 5,
  },
  resumeCampaign,
);
