"use client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import { checkIntegration, disconnectIntegration } from "./actions";

/** Check the saved key now, or forget it. */
export function AccountActions({ accountId, label }: { accountId: string; label: string }) {
  const check = useAction(checkIntegration);
  const disconnect = useAction(disconnectIntegration);
  return (
    <div className="flex gap-2">
      <Button
        variant="secondary"
        size="sm"
        disabled={check.pending}
        aria-busy={check.pending || undefined}
        onClick={() =>
          check.run(
            { accountId },
            {
              success: (a) =>
                a.status === "connected" ? `${label} answered: the key works.` : `${label} refused: ${a.lastError ?? "see the status"}`,
            },
          )
        }
      >
        Check now
      </Button>
      <ConfirmDialog
        trigger={
          <Button variant="ghost" size="sm" disabled={disconnect.pending}>
            Disconnect
          </Button>
        }
        title={`Disconnect ${label}?`}
        description={`The saved key is deleted from this app. Nothing that was imported is removed; to connect again, enter a key.`}
        confirmLabel="Disconnect"
        onConfirm={() => disconnect.run({ accountId }, { success: `${label} disconnected; its key was deleted.` })}
      />
    </div>
  );
}
