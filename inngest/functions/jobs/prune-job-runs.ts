import { cron } from "inngest";
import { serviceDb } from "@/db";
import { inngest, type CronContext } from "@/inngest/client";
import { pruneJobRuns as deleteOldRuns } from "@/lib/jobs/prune-job-runs";

const RETENTION_DAYS = 30;

/** Nightly: finished local-executor runs older than the retention are deleted. */
export async function pruneJobRuns({ event, step }: CronContext) {
  const olderThan = new Date(event.ts - RETENTION_DAYS * 86_400_000);
  return step.run("delete-old-runs", () => deleteOldRuns(serviceDb(), { olderThan }));
}

export const pruneJobRunsFunction = inngest.createFunction(
  { id: "prune-job-runs", name: "Prune old job runs", triggers: [cron("0 3 * * *")], retries: 2 },
  pruneJobRuns,
);
