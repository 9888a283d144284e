"use client";
import { RotateCcw, Square, StepForward } from "lucide-react";
import { useRouter } from "next/navigation";
import { replayRun, cancelRun, retryRun } from "@/app/(app)/jobs/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import type { JobRunStatus } from "@/db/schema";
import { isInProgress } from "@/lib/jobs/runs/job-run-types";

export function RunActions({ runId, status }: { runId: string; status: JobRunStatus }) {
  const router = useRouter();
  const replay = useAction(replayRun);
  const cancel = useAction(cancelRun);
  const retry = useAction(retryRun);
  // A replay or retry refused because another run does the same work now: that run, to cancel it or watch it end.
  const openBusyRun = ({ existingId }: { existingId?: string }) =>
    existingId ? { label: "Open that run", onClick: () => router.push(`/jobs/${existingId}`) } : undefined;
  return (
    <>
      {status === "failed" ? (
        <Button
          variant="secondary"
          busy={retry.pending}
          onClick={() => retry.run({ runId }, { success: "Retrying from the failed step.", errorAction: openBusyRun })}
        >
          <StepForward aria-hidden className="size-4" /> Retry from failed step
        </Button>
      ) : null}
      {isInProgress(status) ? (
        <ConfirmDialog
          trigger={
            <Button variant="secondary" busy={cancel.pending}>
              <Square aria-hidden className="size-4" /> Cancel
            </Button>
          }
          title="Cancel this run?"
          description="A step that is executing right now finishes; nothing after it runs. You can replay the run later."
          confirmLabel="Cancel run"
          onConfirm={() => cancel.run({ runId }, { success: "Run cancelled." })}
        />
      ) : null}
      {/* A run in progress is not replayed beside itself (manage-job-run.ts): cancel it first. */}
      {isInProgress(status) ? null : (
        <Button
          busy={replay.pending}
          onClick={() =>
            replay.run(
              { runId },
              {
                success: "Replay started.",
                onSuccess: ({ runId: replayId }) => router.push(`/jobs/${replayId}`),
                errorAction: openBusyRun,
              },
            )
          }
        >
          <RotateCcw aria-hidden className="size-4" /> Replay
        </Button>
      )}
    </>
  );
}
