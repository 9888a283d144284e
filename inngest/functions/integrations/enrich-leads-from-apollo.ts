import { NonRetriableError } from "inngest";
import { apolloLeadEnrichmentRequested, inngest, type EventContext } from "@/inngest/client";
import { IntegrationNotConnected } from "@/lib/integrations/accounts/integration-key";
import { enrichNextLeadChunk, failLeadEnrichment, finishLeadEnrichment } from "@/lib/integrations/apollo/enrich-leads/enrich-lead-chunk";
import { VendorError } from "@/lib/integrations/http/vendor-error";

/**
 * Enriches existing leads with Apollo's People Enrichment (lib/integrations/apollo/enrich-leads/):
 * one step per chunk of ≤ 10 leads (each committing its people, lead changes, panel rows and
 * credits together, so a retried or replayed step spends nothing again), durable sleeps when
 * Apollo's window is used up.
 */
export async function enrichLeadsFromApollo({ event, step }: EventContext<"integrations/apollo-lead-enrichment.requested">) {
  const ref = event.data;
  for (let i = 0; ; i++) {
    const outcome = await step.run(`enrich-${i}`, async () => {
      try {
        return await enrichNextLeadChunk(ref);
      } catch (error) {
        // Retrying cannot help a refused key, a missing permission or a malformed answer.
        if (error instanceof IntegrationNotConnected) throw new NonRetriableError(error.message, { cause: error });
        if (error instanceof VendorError && !error.retryable) throw new NonRetriableError(error.message, { cause: error });
        throw error;
      }
    });
    if (outcome.state === "stopped") return outcome;
    if (outcome.waitMs > 0) await step.sleep(`pace-${i}`, outcome.waitMs);
    if (outcome.state === "done") break;
  }
  await step.run("finished", () => finishLeadEnrichment(ref));
  return { enrichmentId: ref.enrichmentId };
}

export async function markLeadEnrichmentFailed({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const ref = event.data.event.data as EventContext<"integrations/apollo-lead-enrichment.requested">["event"]["data"];
  await failLeadEnrichment(ref, `Stopped while enriching with Apollo: ${error.message}`);
}

export const enrichLeadsFromApolloFunction = inngest.createFunction(
  {
    id: "enrich-leads-from-apollo",
    name: "Enrich leads with Apollo",
    triggers: [apolloLeadEnrichmentRequested],
    // One Apollo job at a time per account (this and Apollo imports share the queue: account
    // scope, keyed by the account id), its calls one after another, at most six
    // starting a minute; Apollo's own windows are kept by reading its headers after each call.
    concurrency: { limit: 1, key: "event.data.accountId", scope: "account" },
    throttle: { limit: 6, period: "1m", key: "event.data.accountId" },
    retries: 4,
    onFailure: markLeadEnrichmentFailed,
  },
  enrichLeadsFromApollo,
);
