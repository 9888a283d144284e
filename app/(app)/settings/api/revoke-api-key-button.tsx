"use client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import { revokeApiKeyAction } from "./actions";

export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  const revoke = useAction(revokeApiKeyAction);
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" busy={revoke.pending} aria-label={`Revoke ${name}`}>
          Revoke
        </Button>
      }
      title={`Revoke the key “${name}”?`}
      description="Every program using it is refused from its next request. This cannot be undone: make a new key if it is needed again."
      confirmLabel="Revoke"
      onConfirm={() => revoke.run({ keyId: id }, { success: `“${name}” revoked.` })}
    />
  );
}
