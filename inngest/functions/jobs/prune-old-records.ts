import { cron } from "inngest";
import { serviceDb } from "@/db";
import { inngest, type CronContext } from "@/inngest/client";
import { pruneAiResultCache } from "@/lib/ai/prune-result-cache";
import { pruneNotifications } from "@/lib/notifications/prune-notifications";

/**
 * Nightly: the records that only grow (notifications, cached model answers) lose what is past
 * their retention. As for old job runs, the cutoff comes from this server's clock inside each
 * step, never from the event.
 */
export async function pruneOldRecords({ step }: CronContext) {
  const notifications = await step.run("delete-old-notifications", () => pruneNotifications(serviceDb(), { now: new Date() }));
  const aiResultCache = await step.run("delete-old-ai-answers", () => pruneAiResultCache(serviceDb(), { now: new Date() }));
  return { notifications, aiResultCache };
}

export const pruneOldRecordsFunction = inngest.createFunction(
  { id: "prune-old-records", name: "Prune old notifications and cached AI answers", triggers: [cron("45 3 * * *")], retries: 2 },
  pruneOldRecords,
);
