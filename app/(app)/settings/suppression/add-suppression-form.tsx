"use client";
import { useRef } from "react";
import { Field, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { addSuppression } from "./actions";

/** An admin puts one address or a whole domain on the list. */
export function AddSuppressionForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const add = useAction(addSuppression);
  const errors = add.fieldErrors;
  return (
    <form
      ref={formRef}
      method="post"
      noValidate
      aria-label="Add to the suppression list"
      onSubmit={submitHandler((form) =>
        add.run(
          { value: formText(form, "value"), note: formText(form, "note") },
          {
            success: ({ kind, value }) => (kind === "domain" ? `Nobody at ${value} will be emailed.` : `${value} will not be emailed.`),
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
    </form>
  );
}
