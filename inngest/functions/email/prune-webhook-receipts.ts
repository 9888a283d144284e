import { cron } from "inngest";
import { serviceDb } from "@/db";
import { inngest, type CronContext } from "@/inngest/client";
import { pruneWebhookReceipts as deleteOldReceipts, WEBHOOK_RECEIPT_RETENTION_DAYS } from "@/lib/sending/events/prune-webhook-receipts";

/**
 * Nightly: processed webhook deliveries older than the retention are deleted. As for old job
 * runs, the cutoff comes from this server's clock inside the step, never from the event.
 */
export async function pruneWebhookReceipts({ step }: CronContext) {
  return step.run("delete-old-receipts", () =>
    deleteOldReceipts(serviceDb(), { olderThan: new Date(Date.now() - WEBHOOK_RECEIPT_RETENTION_DAYS * 86_400_000) }),
  );
}

export const pruneWebhookReceiptsFunction = inngest.createFunction(
  { id: "prune-webhook-receipts", name: "Prune old webhook deliveries", triggers: [cron("30 3 * * *")], retries: 2 },
  pruneWebhookReceipts,
);
