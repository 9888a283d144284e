import { cron } from "inngest";
import { serviceDb } from "@/db";
import { inngest, type StepTools } from "@/inngest/client";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver";

/** Rounds per run: each sends what is due (up to its time budget), then sleeps until the next retry if it is close. */
const MAX_ROUNDS = 20;
/** A retry due later than this is left to the next minute's cron. */
const SLEEP_AT_MOST_MS = 55_000;

/**
 * Outgoing webhooks (lib/webhooks): sends every due delivery of every workspace. Retries and
 * their back-off are the deliveries' own (next_attempt_at from WEBHOOK_RETRY_SCHEDULE), so a
 * retry survives a restart as a row; this run only sleeps through a retry due within the minute.
 * A step fails only when the database does, and Inngest's retries cover that.
 */
export async function deliverWebhooks({ step }: { step: StepTools }) {
  let attempted = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = await step.run(`deliver-${round}`, () => deliverDueWebhooks(serviceDb()));
    attempted += result.attempted;
    if (result.nextDueInMs === null || result.nextDueInMs > SLEEP_AT_MOST_MS) break;
    if (result.nextDueInMs > 0) await step.sleep(`wait-${round}`, result.nextDueInMs);
  }
  return { attempted };
}

export const deliverWebhooksFunction = inngest.createFunction(
  {
    id: "deliver-webhooks",
    name: "Deliver outgoing webhooks",
    triggers: [{ event: "webhooks/deliveries.due" }],
    concurrency: { limit: 1 },
    retries: 5,
  },
  deliverWebhooks,
);

/**
 * The same, every minute: nothing recorded in the outbox waits for a NOTIFY that was missed. One
 * run at a time: a run may loop for minutes, and overlapping ones would only compete for the
 * same rows (the leases in lib/webhooks/deliver.ts keep them from sending a delivery twice).
 */
export const deliverWebhooksCronFunction = inngest.createFunction(
  {
    id: "deliver-webhooks-cron",
    name: "Deliver outgoing webhooks (every minute)",
    triggers: [cron("* * * * *")],
    concurrency: { limit: 1 },
    retries: 2,
  },
  deliverWebhooks,
);
