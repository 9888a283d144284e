"use client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import { cancelAgentImportScheduleAction } from "./actions";

export function CancelScheduleButton({ scheduleId, agentName }: { scheduleId: string; agentName: string }) {
  const cancel = useAction(cancelAgentImportScheduleAction);
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" busy={cancel.pending} aria-label={`Cancel the recurring import of ${agentName}`}>
          Cancel
        </Button>
      }
      title={`Stop importing ${agentName}?`}
      description="No new run will start. The leads and the imports it made stay; you can schedule it again later, and it will still skip the rows it imported."
      confirmLabel="Stop importing"
      onConfirm={() => cancel.run({ scheduleId }, { success: `${agentName} is no longer imported on a schedule.` })}
    />
  );
}
