import { serviceDb } from "@/db";
import { campaignEnrollmentStarted, inngest, type EventContext } from "@/inngest/client";
import { providerThrottle } from "@/lib/sending/send/provider-throttle";
import { sendNextStep } from "@/lib/sending/send/send-next-step";
import type { SendOutcome } from "@/lib/sending/send/types";

/** Retries of one send step (5xx, timeouts, 429s; each under the message's Idempotency-Key). */
export const SEND_RETRIES = 6;

/** More than any sequence needs (20 steps, each maybe put off by the window, the cap or a busy provider a few times). */
const MAX_ROUNDS = 200;

/**
 * One enrollment's sequence (DESIGN.md §6, §7): for each email, at most a `step.sleepUntil`
 * (only when it is not due yet) and ONE `step.run` that does every check, claims the message,
 * calls the provider and says what comes next (lib/sending/send). Whatever the run thinks,
 * the database decides: the step acts on the enrollment's own next step, and a run whose
 * generation is no longer the enrollment's (a resume started a newer one) ends without
 * sending. Pauses, stops and an enrollment's end cancel sleeping runs (cancelOn); a run caught
 * mid-step is stopped by the step's own checks.
 */
export async function runEnrollmentSequence({ event, step, attempt }: EventContext<"campaigns/enrollment.started">) {
  const { workspaceId, campaignId, enrollmentId, generation } = event.data;
  const input = { workspaceId, campaignId, enrollmentId, generation };
  const send = (id: string) =>
    step.run(id, () => sendNextStep(serviceDb(), input, { finalAttempt: attempt >= SEND_RETRIES })) as Promise<SendOutcome>;

  let outcome = await send("send");
  for (let round = 0; round < MAX_ROUNDS && outcome.next !== "done"; round++) {
    if (outcome.next === "sleep") await step.sleepUntil(`wait-${outcome.position}`, outcome.until);
    outcome = await send(`send-${outcome.position}`);
  }
  return outcome;
}

export const runEnrollmentSequenceFunction = inngest.createFunction(
  {
    id: "run-enrollment-sequence",
    name: "Campaign sequence (one lead)",
    triggers: [campaignEnrollmentStarted],
    retries: SEND_RETRIES,
    // Several sends of one mailbox at a time, not hundreds: its cap and reputation are one.
    concurrency: { limit: 10, key: "event.data.identityId" },
    throttle: providerThrottle(),
    cancelOn: [
      { event: "campaigns/campaign.paused", match: "data.campaignId" },
      { event: "campaigns/campaign.stopped", match: "data.campaignId" },
      { event: "campaigns/enrollment.ended", match: "data.enrollmentId" },
    ],
  },
  runEnrollmentSequence,
);
