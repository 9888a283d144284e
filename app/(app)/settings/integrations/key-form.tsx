"use client";
import { useRef } from "react";
import { Field, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import type { ConnectableVendor } from "@/lib/integrations/accounts/schemas";
import { VENDOR_LABELS } from "@/lib/integrations/accounts/vendors";
import { connectIntegration, rotateIntegrationKey } from "./actions";

/**
 * Connects a vendor, or rotates a connected one's key. The key is checked with the vendor
 * before it is saved; the field is cleared once it is, and never filled from the server. A
 * refusal that is not about the key (the vendor down or rate limiting) stays under the form,
 * not only in a toast: the admin reads that nothing was saved and the old key still works.
 */
export function KeyForm({ vendor, accountId }: { vendor: ConnectableVendor; accountId?: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const connect = useAction(connectIntegration, { showsErrors: true });
  const rotate = useAction(rotateIntegrationKey, { showsErrors: true });
  const action = accountId ? rotate : connect;
  const label = VENDOR_LABELS[vendor];
  const id = `${vendor}-${accountId ? "new-key" : "key"}`;
  const done = { onSuccess: () => formRef.current?.reset() };
  return (
    <form
      ref={formRef}
      method="post"
      noValidate
      aria-label={accountId ? `Rotate the ${label} key` : `Connect ${label}`}
      onSubmit={submitHandler((form) => {
        const apiKey = formText(form, "apiKey");
        if (accountId) {
          rotate.run({ accountId, apiKey }, { success: (a) => `${label} now uses the key ••••${a.keyLast4}.`, ...done });
        } else {
          connect.run({ vendor, apiKey }, { success: (a) => `${label} connected with the key ••••${a.keyLast4}.`, ...done });
        }
      })}
      className="grid items-start gap-3 sm:grid-cols-[1fr_auto]"
    >
      <Field
        id={id}
        label={accountId ? `New ${label} API key` : `${label} API key`}
        error={action.fieldErrors.apiKey}
        hint="Checked with the vendor before it is saved, then stored encrypted. It is never shown again."
      >
        <TextInput id={id} name="apiKey" type="password" autoComplete="off" spellCheck={false} invalid={!!action.fieldErrors.apiKey} />
      </Field>
      <div className="sm:pt-5">
        <SubmitButton pending={action.pending}>{accountId ? "Rotate key" : "Connect"}</SubmitButton>
      </div>
      <FormError error={action.error} fieldErrors={action.fieldErrors} className="sm:col-span-2" />
    </form>
  );
}
