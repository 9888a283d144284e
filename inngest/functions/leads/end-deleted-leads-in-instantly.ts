import { deletedLeadsInInstantly, inngest, type EventContext } from "@/inngest/client";
import { endExcludedInstantlyEnrollments } from "@/lib/campaigns/lifecycle/end-excluded-instantly-enrollments";
import { bulkOperationInProgress } from "@/lib/leads/bulk/get-bulk-operation";
import { BULK_UNDO_SECONDS } from "@/lib/leads/bulk/undo-window";

/** The undo window and a margin for the click's round trip. */
const SETTLE = `${BULK_UNDO_SECONDS + 5}s`;
/** A delete of a million leads runs for minutes; past an hour, its leads leave Instantly anyway. */
const MAX_WAITS = 240;

/**
 * Deleted leads leave the Instantly campaigns they were in once their delete can no longer be
 * undone: the undo is offered for BULK_UNDO_SECONDS after the whole operation ends (the toast of
 * the lead table), so this waits for the operation, then for that window. Leads an undo restored
 * meanwhile keep their enrollment and their place in Instantly (endExcludedInstantlyEnrollments
 * ends only the enrollments of leads still deleted).
 */
export async function endDeletedLeadsInInstantly({ event, step }: EventContext<"leads/deleted-in-instantly-campaigns">) {
  const { workspaceId, operationId, leadIds } = event.data;
  for (let wait = 0; wait < MAX_WAITS; wait++) {
    await step.sleep(`undo-window-${wait}`, SETTLE);
    const inProgress = await step.run(`delete-in-progress-${wait}`, () => bulkOperationInProgress(workspaceId, operationId));
    if (!inProgress) break;
  }
  return step.run("end-enrollments", () => endExcludedInstantlyEnrollments(workspaceId, { leadIds }));
}

export const endDeletedLeadsInInstantlyFunction = inngest.createFunction(
  {
    id: "end-deleted-leads-in-instantly",
    name: "Take deleted leads out of their Instantly campaigns once the delete cannot be undone",
    triggers: [deletedLeadsInInstantly],
    retries: 6,
  },
  endDeletedLeadsInInstantly,
);
