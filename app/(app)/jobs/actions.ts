"use server";
import { defineAction } from "@/app/_server/action";
import { serviceDb } from "@/db";
import { cancelJobRun, replayJobRun, retryJobRunFromFailedStep, type RunActor } from "@/lib/jobs/runs/manage-job-run";
import { ZJobRunRef } from "@/lib/jobs/runs/schemas";

/**
 * The job tables have no write policies: these run on the service executor, after the
 * wrapper checked `jobs.manage`, scoped to the session's workspace. A replay or a retry runs
 * the run's steps again, vendor calls included, so both count against the workspace's limit
 * on job replays; cancelling starts nothing and does not.
 */
export const replayRun = defineAction({
  name: "replayRun",
  workspaceLimit: "job-replays",
  schema: ZJobRunRef,
  auth: "jobs.manage",
  handler: ({ session }, { runId }) =>
    replayJobRun(serviceDb(), { workspaceId: session.current.workspaceId, runId }, byPerson(session.userId)),
  revalidate: ["/jobs"],
});

export const cancelRun = defineAction({
  name: "cancelRun",
  schema: ZJobRunRef,
  auth: "jobs.manage",
  handler: async ({ session }, { runId }) => {
    await cancelJobRun(serviceDb(), { workspaceId: session.current.workspaceId, runId }, byPerson(session.userId));
    return { runId };
  },
  revalidate: ["/jobs"],
});

export const retryRun = defineAction({
  name: "retryRun",
  workspaceLimit: "job-replays",
  schema: ZJobRunRef,
  auth: "jobs.manage",
  handler: async ({ session }, { runId }) => {
    await retryJobRunFromFailedStep(serviceDb(), { workspaceId: session.current.workspaceId, runId }, byPerson(session.userId));
    return { runId };
  },
  revalidate: ["/jobs"],
});

/** Each of them names its person in the audit log. */
function byPerson(userId: string): RunActor {
  return { userId, via: "jobs_page" };
}
