"use client";
import { useRef, useState } from "react";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { createWebhook } from "./actions";
import { EndpointFields, endpointInputOf } from "./endpoint-fields";
import { SecretBox } from "./secret-box";

/** Subscribes a URL to events; the signing secret is shown once the endpoint is saved. */
export function CreateWebhookForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const create = useAction(createWebhook, { showsErrors: true });
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  return (
    <div className="space-y-4">
      <form
        ref={formRef}
        method="post"
        noValidate
        aria-label="Add a webhook endpoint"
        onSubmit={submitHandler((form) => {
          create.run(endpointInputOf(form), {
            success: (d) => `Webhook endpoint added: ${d.url}`,
            onSuccess: (d) => {
              setCreated({ url: d.url, secret: d.secret });
              formRef.current?.reset();
            },
          });
        })}
        className="space-y-3"
      >
        <EndpointFields idPrefix="webhook" errors={create.fieldErrors} />
        <FormError error={create.error} fieldErrors={create.fieldErrors} />
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
