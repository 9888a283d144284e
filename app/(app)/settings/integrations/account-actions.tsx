"use client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import { checkIntegration, disconnectIntegration, syncInstantlyNow } from "./actions";

/** Check the saved key now, or forget it. */
export function AccountActions({ accountId, label, syncable = false }: { accountId: string; label: string; syncable?: boolean }) {
  const check = useAction(checkIntegration);
  const disconnect = useAction(disconnectIntegration);
  const sync = useAction(syncInstantlyNow);
  return (
    <div className="flex gap-2">
      {syncable ? (
        <Button
          variant="secondary"
          size="sm"
          busy={sync.pending}
          onClick={() =>
            sync.run({ accountId }, { success: `${label} sync queued: it runs in the background and shows on the Jobs page.` })
          }
        >
          Sync now
        </Button>
      ) : null}
      <Button
        variant="secondary"
        size="sm"
        busy={check.pending}
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
          <Button variant="ghost" size="sm" busy={disconnect.pending}>
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
