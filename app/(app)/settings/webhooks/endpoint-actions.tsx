"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/field";
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

/** How long the old secret keeps signing after a rotation: the service's choices, in words. */
const GRACES = [
  { hours: 0, label: "no grace: stops now", after: "only the new one signs from now on" },
  { hours: 1, label: "1 hour", after: "the old one also signs for 1 hour" },
  { hours: 24, label: "24 hours", after: "the old one also signs for 24 hours" },
  { hours: 168, label: "7 days", after: "the old one also signs for 7 days" },
] as const;
type Grace = (typeof GRACES)[number];

function rotationDescription(url: string, grace: Grace): string {
  if (grace.hours === 0)
    return `A new secret is made and shown once, and the old one stops signing at once: deliveries to ${url} are refused by the receiving app until it has the new secret.`;
  return `A new secret is made and shown once. For the next ${grace.label} every delivery to ${url} is signed with both the old and the new secret, so the receiving app can switch to the new one without refusing an event; then only the new one signs.`;
}

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
  const [rotated, setRotated] = useState<{ secret: string; grace: Grace } | null>(null);
  const [grace, setGrace] = useState<Grace>(GRACES[2]);
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
          busy={toggle.pending}
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
          busy={reveal.pending}
          onClick={() => (secret ? setSecret(null) : reveal.run({ endpointId }, { onSuccess: (d) => setSecret(d.secret) }))}
        >
          {secret ? "Hide signing secret" : "Reveal signing secret"}
        </Button>
        <ConfirmDialog
          trigger={
            <Button variant="secondary" size="sm" busy={rotate.pending}>
              Rotate signing secret
            </Button>
          }
          title="Rotate the signing secret?"
          description={rotationDescription(url, grace)}
          confirmLabel="Rotate"
          onConfirm={() => {
            const chosen = grace;
            rotate.run(
              { endpointId, graceHours: chosen.hours },
              {
                success: `New signing secret made: ${chosen.after}.`,
                onSuccess: (d) => {
                  setSecret(null);
                  setRotated({ secret: d.secret, grace: chosen });
                },
              },
            );
          }}
        />
        <label className="flex items-center gap-1.5 text-xs text-zinc-600">
          Old secret after rotating
          <Select
            className="h-8 w-auto py-0 text-xs"
            value={grace.hours}
            onChange={(e) => setGrace(GRACES.find((g) => g.hours === Number(e.target.value)) ?? GRACES[2])}
          >
            {GRACES.map((g) => (
              <option key={g.hours} value={g.hours}>
                {g.hours === 0 ? "No grace: stops now" : `Also signs for ${g.label}`}
              </option>
            ))}
          </Select>
        </label>
        {previousSecretActive ? (
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="sm" busy={retire.pending}>
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
            <Button variant="ghost" size="sm" busy={remove.pending}>
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
          secret={rotated.secret}
          label={`New signing secret for ${url}`}
          note={`Copy it now into the receiving app; ${rotated.grace.after}.`}
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
      busy={redeliver.pending}
      onClick={() => redeliver.run({ deliveryId }, { success: "Redelivery queued, with the same webhook-id." })}
    >
      Redeliver
    </Button>
  );
}
