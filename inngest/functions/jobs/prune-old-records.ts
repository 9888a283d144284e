import { cron } from "inngest";
import { serviceDb } from "@/db";
import { inngest, type CronContext } from "@/inngest/client";
import { pruneAiResultCache } from "@/lib/ai/prune-result-cache";
import { pruneEndedImportRows } from "@/lib/imports/prune-import-rows";
import { pruneNotifications } from "@/lib/notifications/prune-notifications";
import { pruneWebhookLog } from "@/lib/webhooks/prune-webhook-log";

/**
 * Nightly: the records that only grow (notifications, cached model answers, the outgoing webhook
 * log) lose what is past their retention, and ended imports the uploaded rows they no longer
 * need. As for old job runs, the cutoff comes from this server's clock inside each step, never
 * from the event.
 */
export async function pruneOldRecords({ step }: CronContext) {
  const notifications = await step.run("delete-old-notifications", () => pruneNotifications(serviceDb(), { now: new Date() }));
  const aiResultCache = await step.run("delete-old-ai-answers", () => pruneAiResultCache(serviceDb(), { now: new Date() }));
  const webhookLog = await step.run("delete-old-webhook-log", () => pruneWebhookLog(serviceDb(), { now: new Date() }));
  const importRows = await step.run("delete-ended-import-rows", () => pruneEndedImportRows(serviceDb()));
  return { notifications, aiResultCache, webhookLog, importRows };
}

export const pruneOldRecordsFunction = inngest.createFunction(
  {
    id: "prune-old-records",
    name: "Prune old notifications, cached AI answers, webhook logs and imported rows",
    triggers: [cron("45 3 * * *")],
    retries: 2,
  },
  pruneOldRecords,
);
