import { inngest, resendWebhookReceived, type EventContext } from "@/inngest/client";
import { checkBounceBreaker } from "@/lib/sending/breaker/check-bounce-breaker";
import { processWebhookReceipt } from "@/lib/sending/events/process-webhook-receipt";

/**
 * Processes one verified Resend delivery stored by the webhook route: its effects in one step
 * (the receipt is marked in the same transaction, so a retry or replay does nothing twice), then,
 * after a hard bounce or a complaint has committed, the campaign's bounce breaker in a step of
 * its own (it must see the bounce; a crash between the two still runs it on retry).
 */
export async function processResendWebhook({ event, step }: EventContext<"email/resend-webhook.received">) {
  const processed = await step.run("process", () => processWebhookReceipt(event.data.receiptId));
  if (!processed.breakerCheck) return processed;
  const breaker = await step.run("check-bounce-breaker", () => checkBounceBreaker(processed.breakerCheck!));
  return { ...processed, breaker };
}

export const processResendWebhookFunction = inngest.createFunction(
  {
    id: "process-resend-webhook",
    name: "Process a Resend webhook delivery",
    triggers: [resendWebhookReceived],
    // A campaign's sends come back as thousands of events within minutes: they wait their turn
    // rather than take every slot of the executor from the sequences that are sending.
    concurrency: { limit: 8 },
    retries: 5,
  },
  processResendWebhook,
);
