"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import {
  deleteWebhook,
  redeliverWebhookDelivery,
  retirePreviousWebhookSigningSecret,
  revealWebhookSigningSecret,
  rotateWebhookSigningSecret,
  setWebhookEnabled,
} from "./actions";
import { EditWebhookForm } from "./edit-webhook-form";
import type { EndpointDefaults } from "./endpoint-fields";
import { SecretBox } from "./secret-box";

/** Edit, disable or enable, reveal or rotate the signing secret, delete. */
export function EndpointActions({
  endpointId,
  endpoint,
  enabled,
  previousSecretActive,
}: {
  endpointId: string;
  endpoint: EndpointDefaults;
  enabled: boolean;
  /** A rotation's grace is running: the old secret still signs beside the new one. */
  previousSecretActive: boolean;
}) {
  const { url } = endpoint;
  const toggle = useAction(setWebhookEnabled);
  const reveal = useAction(revealWebhookSigningSecret);
  const rotate = useAction(rotateWebhookSigningSecret);
  const retire = useAction(retirePreviousWebhookSigningSecret);
  const remove = useAction(deleteWebhook);
  const [secret, setSecret] = useState<string | null>(null);
  const [rotated, setRotated] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Edit
        </Button>
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
            <Button variant="secondary" size="sm" disabled={rotate.pending}>
              Rotate signing secret
            </Button>
          }
          title="Rotate the signing secret?"
          description={`A new secret is made and shown once. For the next 24 hours every delivery to ${url} is signed with both the old and the new secret, so the receiving app can switch to the new one without refusing an event; then only the new one signs.`}
          confirmLabel="Rotate"
          onConfirm={() =>
            rotate.run(
              { endpointId },
              {
                success: "New signing secret made: the old one also signs for 24 hours.",
                onSuccess: (d) => {
                  setSecret(null);
                  setRotated(d.secret);
                },
              },
            )
          }
        />
        {previousSecretActive ? (
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="sm" disabled={retire.pending}>
                Stop the old secret now
              </Button>
            }
            title="Stop signing with the old secret now?"
            description="Deliveries are signed with the new secret only from now on. Do this when the old secret may have leaked; a receiver still checking the old one refuses every delivery until it has the new one."
            confirmLabel="Stop the old secret"
            onConfirm={() => retire.run({ endpointId }, { success: "Only the new signing secret signs now." })}
          />
        ) : null}
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
      {rotated ? (
        <SecretBox
          secret={rotated}
          label={`New signing secret for ${url}`}
          note="Copy it now into the receiving app; the old one also signs for 24 hours."
        />
      ) : null}
      {editing ? <EditWebhookForm endpointId={endpointId} defaults={endpoint} onDone={() => setEditing(false)} /> : null}
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
