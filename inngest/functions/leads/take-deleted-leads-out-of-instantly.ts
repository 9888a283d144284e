import { inngest, leadsInstantlyExitRequested, type EventContext } from "@/inngest/client";
import { endExcludedInstantlyEnrollments } from "@/lib/campaigns/lifecycle/end-excluded-instantly-enrollments";
import { deleteUndoState } from "@/lib/leads/bulk/get-bulk-operation";

/** How often a delete still running (or being undone) is looked at again. */
const POLL = "15s";
/** A delete of a million leads runs for minutes; past this many looks (an hour), its leads leave Instantly anyway. */
const MAX_LOOKS = 240;

/**
 * A delete's leads leave the Instantly campaigns they were in once the delete can no longer be
 * undone (Instantly never asks us before a step; our own send step refuses a deleted lead): it
 * waits while the delete, or an undo of it, runs, then until the undo is no longer taken
 * (lib/leads/bulk/undo-window.ts), then ends the enrollments of the leads the delete still holds
 * deleted. Leads an undo restored keep their place. One run per delete (the event's id).
 */
export async function takeDeletedLeadsOutOfInstantly({ event, step }: EventContext<"leads/instantly-exit.requested">) {
  const { workspaceId, operationId } = event.data;
  for (let look = 0; look < MAX_LOOKS; look++) {
    const state = await step.run(`look-${look}`, () => deleteUndoState(workspaceId, operationId));
    if (!state) return { deleted: 0, suppressed: 0 };
    if (state.busy || !state.undoableUntil) {
      await step.sleep(`while-busy-${look}`, POLL);
      continue;
    }
    if (new Date(state.undoableUntil).getTime() <= Date.now()) break;
    // An undo may still start before then (and run as a job): look again after.
    await step.sleepUntil(`undo-window-${look}`, state.undoableUntil);
  }
  return step.run("end-enrollments", () => endExcludedInstantlyEnrollments(workspaceId, { deletedBy: operationId }));
}

export const takeDeletedLeadsOutOfInstantlyFunction = inngest.createFunction(
  {
    id: "take-deleted-leads-out-of-instantly",
    name: "Take a delete's leads out of their Instantly campaigns once it cannot be undone",
    triggers: [leadsInstantlyExitRequested],
    retries: 6,
  },
  takeDeletedLeadsOutOfInstantly,
);
