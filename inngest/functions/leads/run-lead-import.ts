import { inngest, leadImportRequested, type EventContext } from "@/inngest/client";
import { forgetImportKeys, markImportFailed, runImportBatch } from "@/lib/imports/run-import-batch";

/**
 * A CSV import (lib/imports): one step per batch of rows, each committing its leads with the
 * import's cursor and counts, until the import is completed, or paused or cancelled between
 * batches. A resume sends a new event; its run continues from the cursor. A replayed or
 * duplicate run finds the cursor where the last commit left it, so no row is done twice.
 */
export async function runLeadImport({ event, step }: EventContext<"leads/import.requested">) {
  for (let batch = 0; ; batch++) {
    const progress = await step.run(`batch-${batch}`, () => runImportBatch(event.data));
    if (progress.status === "running" || progress.status === "queued") continue;
    if (progress.status !== "paused") await step.run("forget-keys", () => forgetImportKeys(event.data));
    return progress;
  }
}

export async function markLeadImportFailed({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const ref = event.data.event.data as EventContext<"leads/import.requested">["event"]["data"];
  await markImportFailed(ref, `Stopped after an error: ${error.message}`);
}

export const runLeadImportFunction = inngest.createFunction(
  {
    id: "run-lead-import",
    name: "Import leads from a CSV file",
    triggers: [leadImportRequested],
    // One import at a time per workspace: each batch's duplicates and matches see the last one's leads.
    concurrency: { limit: 1, key: "event.data.workspaceId" },
    retries: 3,
    onFailure: markLeadImportFailed,
  },
  runLeadImport,
);
