import { inngest, instantlyWebhookReceived, type EventContext } from "@/inngest/client";
import { processInstantlyWebhookReceipt } from "@/lib/integrations/instantly/webhooks/process";

/**
 * Reflects one accepted Instantly webhook delivery on the workspace's leads, timeline and
 * suppression list (lib/integrations/instantly/webhooks/process.ts): one step, the receipt
 * marked in the same transaction, so a retry or a replay does nothing twice. The hourly sync
 * stays the source of truth and repairs whatever a missed delivery lost.
 */
export async function processInstantlyWebhook({ event, step }: EventContext<"integrations/instantly-webhook.received">) {
  return step.run("reflect", () => processInstantlyWebhookReceipt(event.data.receiptId));
}

export const processInstantlyWebhookFunction = inngest.createFunction(
  {
    id: "process-instantly-webhook",
    name: "Process an Instantly webhook delivery",
    triggers: [instantlyWebhookReceived],
    // A campaign's events arrive in bursts: they wait their turn instead of taking every slot.
    concurrency: { limit: 4 },
    retries: 5,
  },
  processInstantlyWebhook,
);
