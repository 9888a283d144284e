import { inngest, leadBulkRequested, type EventContext } from "@/inngest/client";
import { markBulkOperationFailed, runBulkBatchAsRequester } from "@/lib/leads/bulk/run-as-requester";
import { jobBatchSize } from "@/lib/leads/bulk/start-bulk-operation";

/**
 * A bulk change of more than one page of leads (lib/leads/bulk): one step per batch, each
 * committing its changes with the operation's cursor and counts, until a batch comes back
 * short. A replay of a finished operation changes nothing (its first batch sees it finished).
 */
export async function runLeadBulkOperation({ event, step }: EventContext<"leads/bulk.requested">) {
  const batchSize = jobBatchSize(event.data.total);
  for (let batch = 0; ; batch++) {
    const progress = await step.run(`batch-${batch}`, () => runBulkBatchAsRequester(event.data, batchSize));
    if (progress.status !== "running" && progress.status !== "queued") return progress;
  }
}

export async function markLeadBulkOperationFailed({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const ref = event.data.event.data as EventContext<"leads/bulk.requested">["event"]["data"];
  await markBulkOperationFailed(ref, `Stopped after an error: ${error.message}`);
}

export const runLeadBulkOperationFunction = inngest.createFunction(
  {
    id: "run-lead-bulk-operation",
    name: "Run a bulk change of leads",
    triggers: [leadBulkRequested],
    // One bulk change at a time per workspace: an undo waits for the delete it undoes.
    concurrency: { limit: 1, key: "event.data.workspaceId" },
    retries: 3,
    onFailure: markLeadBulkOperationFailed,
  },
  runLeadBulkOperation,
);
