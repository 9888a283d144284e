"use client";
import { useRef } from "react";
import { Field, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { addSuppression } from "./actions";

/**
 * A manager or an admin puts one address or a whole domain on the list; a domain that reaches far
 * more than one company (a free-mail provider, the workspace's own) asks to be confirmed first.
 */
export function AddSuppressionForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const add = useAction(addSuppression, { showsErrors: true });
  const errors = add.fieldErrors;
  return (
    <form
      ref={formRef}
      method="post"
      noValidate
      aria-label="Add to the suppression list"
      onSubmit={submitHandler((form) =>
        add.run(
          { value: formText(form, "value"), note: formText(form, "note"), confirmBroad: form.get("confirmBroad") === "on" },
          {
            success: ({ kind, shown }) => (kind === "domain" ? `Nobody at ${shown} will be emailed.` : `${shown} will not be emailed.`),
            onSuccess: () => formRef.current?.reset(),
          },
        ),
      )}
      className="grid items-start gap-3 sm:grid-cols-[1fr_1fr_auto]"
    >
      <Field
        id="suppression-value"
        label="Email address or domain"
        error={errors.value}
        hint="ann@example.com, or example.com for everyone there."
      >
        <TextInput id="suppression-value" name="value" autoComplete="off" placeholder="name@example.com" invalid={!!errors.value} />
      </Field>
      <Field id="suppression-note" label="Note (optional)" error={errors.note}>
        <TextInput id="suppression-note" name="note" autoComplete="off" placeholder="Why, for the team" invalid={!!errors.note} />
      </Field>
      <div className="sm:pt-5">
        <SubmitButton pending={add.pending}>Add</SubmitButton>
      </div>
      {errors.confirmBroad ? (
        // Asked for by the server when the domain reaches far more than one company; sent with the next Add.
        <div className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 sm:col-span-3">
          <p id="suppression-broad-error" role="alert">
            {errors.confirmBroad.join(" ")}
          </p>
          <label className="flex items-center gap-2 font-medium">
            <input type="checkbox" name="confirmBroad" aria-describedby="suppression-broad-error" className="size-4" />
            Yes, suppress the whole domain
          </label>
        </div>
      ) : null}
      <FormError error={add.error} fieldErrors={add.fieldErrors} className="sm:col-span-3" />
    </form>
  );
}
