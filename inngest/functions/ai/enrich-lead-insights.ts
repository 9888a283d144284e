import { NonRetriableError } from "inngest";
import { aiLeadInsightsRequested, inngest, type EventContext } from "@/inngest/client";
import { enrichNextInsightChunk, failInsightRun, finishInsightRun } from "@/lib/ai/enrichment/runs/run-insight-chunk";
import { AiNotConfigured } from "@/lib/ai/model";
import { AiUnavailable } from "@/lib/ai/structured";
import { AppError } from "@/lib/errors";

/**
 * Enriches a run's leads with the model (lib/ai/enrichment/runs): one step per chunk of 50 leads,
 * each lead's answer committed as it comes and the run's progress at the chunk's end, until the
 * run is done, or paused (by a person or at the month's budget) or cancelled between chunks. A
 * resume sends a new event; its run continues from the cursor. A model server that is down is
 * retried (the SDK already retried each call), then fails the run with its message: the leads
 * already written keep their results and a later run answers them from the cache.
 */
export async function enrichLeadInsights({ event, step }: EventContext<"ai/lead-insights.requested">) {
  const ref = event.data;
  for (let i = 0; ; i++) {
    const outcome = await step.run(`chunk-${i}`, async () => {
      try {
        return await enrichNextInsightChunk(ref);
      } catch (error) {
        // No model, no profile, a refused key or an exhausted quota: trying again cannot help.
        if (error instanceof AiNotConfigured || error instanceof AppError) throw new NonRetriableError(error.message, { cause: error });
        if (error instanceof AiUnavailable && !error.retryable) throw new NonRetriableError(error.message, { cause: error });
        throw error;
      }
    });
    if (outcome.state === "stopped") return outcome;
    if (outcome.state === "done") break;
  }
  await step.run("finished", () => finishInsightRun(ref));
  return { runId: ref.runId };
}

export async function markInsightRunFailed({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const ref = event.data.event.data as EventContext<"ai/lead-insights.requested">["event"]["data"];
  await failInsightRun(
    ref,
    `Stopped: ${error.message} The leads enriched before this stay enriched; resume later by starting the enrichment again (answered leads cost nothing).`,
  );
}

export const enrichLeadInsightsFunction = inngest.createFunction(
  {
    id: "enrich-lead-insights",
    name: "Enrich leads with the AI model",
    triggers: [aiLeadInsightsRequested],
    // One run at a time per workspace; the budget itself is held by each call's reservation (lib/ai/budget.ts).
    concurrency: { limit: 1, key: "event.data.workspaceId" },
    retries: 3,
    onFailure: markInsightRunFailed,
  },
  enrichLeadInsights,
);
