import { inngest, replyClassificationRequested, type EventContext } from "@/inngest/client";
import { classifyReply as classify } from "@/lib/ai/replies/classify-reply";

/**
 * Reads one stored reply with the model (lib/ai/replies): one step, whose effects commit in one
 * transaction with the reply marked classified, so a retry or a replay acts once. A model
 * server that is down fails the step, and the executor retries it with back-off.
 */
export async function classifyReply({ event, step, runId, attempt }: EventContext<"ai/reply-classification.requested">) {
  return step.run("classify", () => classify(event.data, { runId, retryIfNotFound: attempt < 2 }));
}

export const classifyReplyFunction = inngest.createFunction(
  {
    id: "classify-reply",
    name: "Read a reply with the AI model",
    triggers: [replyClassificationRequested],
    // A campaign's replies arrive in bursts: a few at a time per workspace, not every slot.
    concurrency: { limit: 4, key: "event.data.workspaceId" },
    retries: 4,
  },
  classifyReply,
);
