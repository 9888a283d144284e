"use client";
import { useRef, useState } from "react";
import { Field, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/event-types";
import { createWebhook } from "./actions";
import { SecretBox } from "./secret-box";

/** Subscribes a URL to events; the signing secret is shown once the endpoint is saved. */
export function CreateWebhookForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const create = useAction(createWebhook);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  return (
    <div className="space-y-4">
      <form
        ref={formRef}
        method="post"
        noValidate
        aria-label="Add a webhook endpoint"
        onSubmit={submitHandler((form) => {
          const eventTypes = form.getAll("eventTypes").map(String) as WebhookEventType[];
          create.run(
            { url: formText(form, "url"), description: formText(form, "description"), eventTypes },
            {
              success: (d) => `Webhook endpoint added: ${d.url}`,
              onSuccess: (d) => {
                setCreated({ url: d.url, secret: d.secret });
                formRef.current?.reset();
              },
            },
          );
        })}
        className="space-y-3"
      >
        <Field
          id="webhook-url"
          label="Endpoint URL"
          error={create.fieldErrors.url}
          hint="An https address on the public internet. Events are POSTed there as JSON, signed per Standard Webhooks."
        >
          <TextInput
            id="webhook-url"
            name="url"
            type="url"
            placeholder="https://example.com/webhooks/leads"
            autoComplete="off"
            spellCheck={false}
            invalid={!!create.fieldErrors.url}
          />
        </Field>
        <Field id="webhook-description" label="Description (optional)" error={create.fieldErrors.description}>
          <TextInput id="webhook-description" name="description" maxLength={500} invalid={!!create.fieldErrors.description} />
        </Field>
        <fieldset className="space-y-1" aria-describedby={create.fieldErrors.eventTypes ? "webhook-events-error" : undefined}>
          <legend className="text-xs font-medium text-zinc-700">Events</legend>
          <div className="grid gap-1 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="eventTypes" value={type} className="mt-1" />
                <span>
                  <code className="text-xs font-semibold">{type}</code>
                  <span className="block text-xs text-zinc-500">{WEBHOOK_EVENT_LABELS[type]}</span>
                </span>
              </label>
            ))}
          </div>
          {create.fieldErrors.eventTypes?.length ? (
            <p id="webhook-events-error" role="alert" className="text-xs text-red-600">
              {create.fieldErrors.eventTypes.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <SubmitButton pending={create.pending}>Add endpoint</SubmitButton>
      </form>
      {created ? (
        <SecretBox
          secret={created.secret}
          label={`Signing secret for ${created.url}`}
          note="Copy it now into the receiving app; an admin can reveal it again here."
        />
      ) : null}
    </div>
  );
}
