"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import { deleteWebhook, redeliverWebhookDelivery, revealWebhookSigningSecret, setWebhookEnabled } from "./actions";
import { SecretBox } from "./secret-box";

/** Disable or enable, reveal the signing secret, delete. */
export function EndpointActions({ endpointId, url, enabled }: { endpointId: string; url: string; enabled: boolean }) {
  const toggle = useAction(setWebhookEnabled);
  const reveal = useAction(revealWebhookSigningSecret);
  const remove = useAction(deleteWebhook);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          size="sm"
          disabled={toggle.pending}
          onClick={() =>
            toggle.run(
              { endpointId, enabled: !enabled },
              { success: enabled ? "Endpoint disabled: no events are sent to it." : "Endpoint enabled: events are sent to it again." },
            )
          }
        >
          {enabled ? "Disable" : "Enable"}
        </Button>
        <Button
          variant="secondary"
          size="sm"
          disabled={reveal.pending}
          onClick={() => (secret ? setSecret(null) : reveal.run({ endpointId }, { onSuccess: (d) => setSecret(d.secret) }))}
        >
          {secret ? "Hide signing secret" : "Reveal signing secret"}
        </Button>
        <ConfirmDialog
          trigger={
            <Button variant="ghost" size="sm" disabled={remove.pending}>
              Delete
            </Button>
          }
          title="Delete this webhook endpoint?"
          description={`No more events are sent to ${url}, and its delivery log is deleted with it.`}
          confirmLabel="Delete"
          onConfirm={() => remove.run({ endpointId }, { success: "Webhook endpoint deleted." })}
        />
      </div>
      {secret ? <SecretBox secret={secret} label="Signing secret" /> : null}
    </div>
  );
}

export function RedeliverButton({ deliveryId, eventType }: { deliveryId: string; eventType: string }) {
  const redeliver = useAction(redeliverWebhookDelivery);
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label={`Redeliver ${eventType}`}
      disabled={redeliver.pending}
      onClick={() => redeliver.run({ deliveryId }, { success: "Redelivery queued, with the same webhook-id." })}
    >
      Redeliver
    </Button>
  );
}
