"use client";
import { Field, TextInput } from "@/components/ui/field";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/event-types";

export type EndpointDefaults = { url: string; description: string; eventTypes: readonly string[] };

/** URL, description and events: the fields adding and editing an endpoint share (ids prefixed, as both may be on the page). */
export function EndpointFields({
  idPrefix,
  errors,
  defaults,
}: {
  idPrefix: string;
  errors: Record<string, string[] | undefined>;
  defaults?: EndpointDefaults;
}) {
  const eventsErrorId = `${idPrefix}-events-error`;
  return (
    <>
      <Field
        id={`${idPrefix}-url`}
        label="Endpoint URL"
        error={errors.url}
        hint="An https address on the public internet. Events are POSTed there as JSON, signed per Standard Webhooks."
      >
        <TextInput
          id={`${idPrefix}-url`}
          name="url"
          type="url"
          placeholder="https://example.com/webhooks/leads"
          autoComplete="off"
          spellCheck={false}
          defaultValue={defaults?.url}
          invalid={!!errors.url}
        />
      </Field>
      <Field id={`${idPrefix}-description`} label="Description (optional)" error={errors.description}>
        <TextInput
          id={`${idPrefix}-description`}
          name="description"
          maxLength={500}
          defaultValue={defaults?.description}
          invalid={!!errors.description}
        />
      </Field>
      <fieldset className="space-y-1" aria-describedby={errors.eventTypes ? eventsErrorId : undefined}>
        <legend className="text-xs font-medium text-zinc-700">Events</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="eventTypes" value={type} className="mt-1" defaultChecked={defaults?.eventTypes.includes(type)} />
              <span>
                <code className="text-xs font-semibold">{type}</code>
                <span className="block text-xs text-zinc-500">{WEBHOOK_EVENT_LABELS[type]}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.eventTypes?.length ? (
          <p id={eventsErrorId} role="alert" className="text-xs text-red-600">
            {errors.eventTypes.join(" ")}
          </p>
        ) : null}
      </fieldset>
    </>
  );
}

/** The form's values as the actions take them. */
export function endpointInputOf(form: FormData) {
  return {
    url: String(form.get("url") ?? ""),
    description: String(form.get("description") ?? ""),
    eventTypes: form.getAll("eventTypes").map(String) as WebhookEventType[],
  };
}
