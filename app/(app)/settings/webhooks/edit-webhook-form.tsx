"use client";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { updateWebhook } from "./actions";
import { EndpointFields, endpointInputOf, type EndpointDefaults } from "./endpoint-fields";

/** Changes an endpoint's URL, description and events, with the checks adding has; the secret and the log stay. */
export function EditWebhookForm({ endpointId, defaults, onDone }: { endpointId: string; defaults: EndpointDefaults; onDone: () => void }) {
  const update = useAction(updateWebhook, { showsErrors: true });
  return (
    <form
      method="post"
      noValidate
      aria-label={`Edit ${defaults.url}`}
      onSubmit={submitHandler((form) => {
        update.run({ endpointId, ...endpointInputOf(form) }, { success: (d) => `Webhook endpoint saved: ${d.url}`, onSuccess: onDone });
      })}
      className="space-y-3 rounded-md border border-zinc-200 bg-zinc-50 p-3"
    >
      <EndpointFields idPrefix={`edit-${endpointId}`} errors={update.fieldErrors} defaults={defaults} />
      <FormError error={update.error} fieldErrors={update.fieldErrors} />
      <div className="flex gap-2">
        <SubmitButton pending={update.pending}>Save changes</SubmitButton>
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
