import { NonRetriableError } from "inngest";
import { apolloImportRequested, inngest, leadImportRequested, type EventContext } from "@/inngest/client";
import { markImportFailed } from "@/lib/imports/run-import-batch";
import { IntegrationNotConnected } from "@/lib/integrations/accounts/integration-key";
import { enrichNextApolloChunk, finishApolloEnrichment } from "@/lib/integrations/apollo/import/enrich-import";
import { VendorError } from "@/lib/integrations/http/vendor-error";

/**
 * An import from Apollo's People Search (lib/integrations/apollo/import/): one step per chunk of
 * ≤ 10 people revealed with bulk_match (each committing its people, rows and credits together,
 * so a retried or replayed step spends nothing again), durable sleeps when Apollo's window is
 * used up, then the rows go to the CSV import job (leads/import.requested): the same dedupe
 * rules, counts, history and import page as a file.
 */
export async function importFromApollo({ event, step }: EventContext<"integrations/apollo-import.requested">) {
  const ref = event.data;
  for (let i = 0; ; i++) {
    const outcome = await step.run(`enrich-${i}`, async () => {
      try {
        return await enrichNextApolloChunk(ref);
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
  await step.run("enrichment-finished", () => finishApolloEnrichment(ref));
  await step.sendEvent("write-leads", {
    name: leadImportRequested.name,
    data: { workspaceId: ref.workspaceId, importId: ref.importId, requestedBy: ref.requestedBy },
    id: `lead-import-${ref.importId}`,
  });
  return { importId: ref.importId };
}

export async function markApolloImportFailed({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const ref = event.data.event.data as EventContext<"integrations/apollo-import.requested">["event"]["data"];
  await markImportFailed(ref, `Stopped while revealing people in Apollo: ${error.message}`);
}

export const importFromApolloFunction = inngest.createFunction(
  {
    id: "import-from-apollo",
    name: "Import and enrich people from Apollo",
    triggers: [apolloImportRequested],
    // One Apollo job at a time per account (this and Apollo enrichments share the queue: account
    // scope, keyed by the account id), its calls one after another; at most six imports
    // start a minute per account. bulk_match's documented limits (half of People Enrichment's
    // per minute, e.g. 100 of 200) are further kept by reading Apollo's headers after each call
    // and sleeping through a used-up window (enrich-import.ts).
    concurrency: { limit: 1, key: "event.data.accountId", scope: "account" },
    throttle: { limit: 6, period: "1m", key: "event.data.accountId" },
    retries: 4,
    onFailure: markApolloImportFailed,
  },
  importFromApollo,
);
