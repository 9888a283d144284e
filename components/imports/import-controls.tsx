"use client";
import { Pause, Play, Square } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import type { ImportStatus } from "@/db/schema/lead-import-enums";
import type { ActionResult } from "@/lib/actions/execute-action";

type ImportAction = (input: { importId: string }) => Promise<ActionResult<unknown>>;

/**
 * Pause, resume and cancel, as the import's status allows; shown only to those who may
 * (its creator, a manager or an admin: the page decides). A paused import keeps what it has
 * written; a cancelled one keeps it too and stops for good.
 */
export function ImportControls({
  importId,
  status,
  actions,
}: {
  importId: string;
  status: ImportStatus;
  actions: { pause: ImportAction; resume: ImportAction; cancel: ImportAction };
}) {
  const router = useRouter();
  const pause = useAction(actions.pause);
  const resume = useAction(actions.resume);
  const cancel = useAction(actions.cancel);
  const pending = pause.pending || resume.pending || cancel.pending;
  const done = { onSuccess: () => router.refresh() };
  const movable = status === "queued" || status === "running";
  return (
    <>
      {movable ? (
        <Button
          variant="secondary"
          busy={pending}
          onClick={() => pause.run({ importId }, { ...done, success: "Import paused. The batch already under way finishes first." })}
        >
          <Pause aria-hidden className="size-4" /> Pause
        </Button>
      ) : null}
      {status === "paused" ? (
        <Button busy={pending} onClick={() => resume.run({ importId }, { ...done, success: "Import resumed." })}>
          <Play aria-hidden className="size-4" /> Resume
        </Button>
      ) : null}
      {movable || status === "paused" ? (
        <ConfirmDialog
          trigger={
            <Button variant="secondary" busy={pending}>
              <Square aria-hidden className="size-4" /> Cancel import
            </Button>
          }
          title="Cancel this import?"
          description="Rows already imported stay; the rest of the file is not imported. You cannot resume a cancelled import."
          confirmLabel="Cancel import"
          onConfirm={() => cancel.run({ importId }, { ...done, success: "Import cancelled. The batch already under way finishes first." })}
        />
      ) : null}
    </>
  );
}
