"use client";
import { useState } from "react";
import { Field, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { signUp } from "./actions";

export function SignUpForm() {
  const { run, pending, fieldErrors, error } = useAction(signUp, { showsErrors: true });
  const [sentTo, setSentTo] = useState<string | null>(null);
  if (sentTo) {
    return (
      <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800">
        Check {sentTo}: open the link in the email to confirm your account, then start a workspace or accept an invitation.
      </p>
    );
  }
  return (
    <form
      method="post"
      noValidate
      className="space-y-3"
      onSubmit={submitHandler((form) =>
        run(
          { fullName: formText(form, "fullName"), email: formText(form, "email"), password: formText(form, "password") },
          { onSuccess: ({ sentTo: address }) => setSentTo(address) },
        ),
      )}
    >
      <Field id="fullName" label="Your name" error={fieldErrors.fullName}>
        <TextInput id="fullName" name="fullName" autoComplete="name" autoFocus invalid={!!fieldErrors.fullName} />
      </Field>
      <Field id="email" label="Work email" error={fieldErrors.email}>
        <TextInput id="email" name="email" type="email" autoComplete="email" invalid={!!fieldErrors.email} />
      </Field>
      <Field id="password" label="Password" error={fieldErrors.password} hint="At least 8 characters.">
        <TextInput id="password" name="password" type="password" autoComplete="new-password" invalid={!!fieldErrors.password} />
      </Field>
      <FormError error={error} fieldErrors={fieldErrors} />
      <SubmitButton className="w-full" pending={pending}>
        {pending ? "Creating…" : "Create account"}
      </SubmitButton>
    </form>
  );
}
