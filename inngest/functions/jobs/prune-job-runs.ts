import { cron } from "inngest";
import { serviceDb } from "@/db";
import { inngest, type CronContext } from "@/inngest/client";
import { pruneJobRuns as deleteOldRuns } from "@/lib/jobs/prune-job-runs";

const RETENTION_DAYS = 30;

/**
 * Nightly: finished local-executor runs older than the retention are deleted. The cutoff comes
 * from this server's clock, never from the event: whoever can send or forge an event must not
 * choose what gets deleted. Taken inside the step, so a retry measures from its own "now".
 */
export async function pruneJobRuns({ step }: CronContext) {
  return step.run("delete-old-runs", () => deleteOldRuns(serviceDb(), { olderThan: new Date(Date.now() - RETENTION_DAYS * 86_400_000) }));
}

export const pruneJobRunsFunction = inngest.createFunction(
  { id: "prune-job-runs", name: "Prune old job runs", triggers: [cron("0 3 * * *")], retries: 2 },
  pruneJobRuns,
);
