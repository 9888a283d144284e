import { serviceDb, withServiceTx } from "@/db";
import { campaignResumeRequested, inngest, type EventContext } from "@/inngest/client";
import { completeCampaignIfDone } from "@/lib/campaigns/lifecycle/complete-campaign";
import { beginRestarting, finishRestarting, holdLaunch } from "@/lib/campaigns/lifecycle/launch-progress";
import { restartEnrollmentsBatch } from "@/lib/campaigns/lifecycle/restart-enrollments";
import { startEvents } from "./start-events";

/**
 * A resumed (or relaunched) campaign's active enrollments restart in batches: each moves to its
 * next generation and a new sequence run continues from its next step; the old runs, cancelled
 * by the pause or not, find themselves superseded and end without sending. Enrollments whose
 * mailbox is gone move to another of the campaign's (or end when none is left). The campaign's
 * pending restart (lib/campaigns/lifecycle/launch-progress.ts) is cleared once every restarted
 * enrollment's run was asked for, unless it was resumed again meanwhile.
 */
export async function resumeCampaign({ event, step }: EventContext<"campaigns/resume.requested">) {
  const { workspaceId, campaignId } = event.data;
  const restartId = await step.run("begin", () => beginRestarting(serviceDb(), { workspaceId, campaignId }));
  let after: string | null = null;
  let restarted = 0;
  let ended = 0;
  for (let batch = 0; ; batch++) {
    // The batches' steps are named for the order they page in, the enrollments' creation order:
    // steps are memoised by id, and a resume begun by a version that paged in id order and carried
    // on by this one must not take its cursor into this order (the enrollments created before the
    // cursor's and not reached yet would be skipped, left with no run). Under new ids it begins
    // again from the first page; those it restarts twice only supersede their first new run. Both
    // ids change: an old `start-n` memoised would swallow the events of this version's batch n.
    const result = await step.run(`restart-page-${batch}`, () =>
      withServiceTx((tx) => restartEnrollmentsBatch(tx, { workspaceId, campaignId, after })),
    );
    if (result.halted) return { restarted, ended, halted: result.halted };
    if (result.started.length > 0) await step.sendEvent(`start-page-${batch}`, startEvents(workspaceId, campaignId, result.started));
    restarted += result.started.length;
    ended += result.ended.length;
    if (result.after === null) break;
    after = result.after;
  }
  await step.run("finish", () => finishRestarting(serviceDb(), { workspaceId, campaignId, restartId }));
  // Enrollments ended for want of a mailbox may have been the last active ones.
  const completed = ended > 0 ? await step.run("complete", () => completeCampaignIfDone(serviceDb(), campaignId)) : false;
  return { restarted, ended, completed };
}

/**
 * The resume failed for good (its retries spent): the enrollments it had not restarted yet have
 * no run (the pause cancelled theirs), so rather than a campaign running with nothing to send it
 * pauses itself saying so, audited, admins told; Resume restarts every active enrollment again.
 * Handled again later (a replay from the Jobs page) after a resume restarted every enrollment, it
 * leaves the campaign running.
 */
export async function holdFailedResume({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const { workspaceId, campaignId } = event.data.event.data as EventContext<"campaigns/resume.requested">["event"]["data"];
  return holdLaunch({ workspaceId, campaignId, why: "resume_failed", error: error.message });
}

export const resumeCampaignFunction = inngest.createFunction(
  {
    id: "resume-campaign",
    name: "Restart a resumed campaign's enrollments",
    triggers: [campaignResumeRequested],
    concurrency: { limit: 1, key: "event.data.campaignId" },
    retries: 5,
    onFailure: holdFailedResume,
  },
  resumeCampaign,
);
