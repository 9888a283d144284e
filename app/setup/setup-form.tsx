"use client";
import { Field, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { useGoFresh } from "@/components/use-go-fresh";
import { completeSetup } from "./actions";

export function SetupForm() {
  const goFresh = useGoFresh();
  const { run, pending, fieldErrors, error } = useAction(completeSetup, { showsErrors: true });
  return (
    <form
      method="post"
      noValidate
      className="space-y-3"
      onSubmit={submitHandler((form) =>
        run(
          {
            workspaceName: formText(form, "workspaceName"),
            fullName: formText(form, "fullName"),
            email: formText(form, "email"),
            password: formText(form, "password"),
            confirm: formText(form, "confirm"),
          },
          { success: ({ workspaceName }) => `${workspaceName} is ready.`, onSuccess: ({ redirectTo }) => goFresh(redirectTo) },
        ),
      )}
    >
      <Field
        id="workspaceName"
        label="Workspace name"
        error={fieldErrors.workspaceName}
        hint="Your team or company; you can add more later."
      >
        <TextInput id="workspaceName" name="workspaceName" autoComplete="organization" autoFocus invalid={!!fieldErrors.workspaceName} />
      </Field>
      <Field id="fullName" label="Your name" error={fieldErrors.fullName}>
        <TextInput id="fullName" name="fullName" autoComplete="name" invalid={!!fieldErrors.fullName} />
      </Field>
      <Field id="email" label="Work email" error={fieldErrors.email}>
        <TextInput id="email" name="email" type="email" autoComplete="email" invalid={!!fieldErrors.email} />
      </Field>
      <Field id="password" label="Password" error={fieldErrors.password} hint="At least 8 characters.">
        <TextInput id="password" name="password" type="password" autoComplete="new-password" invalid={!!fieldErrors.password} />
      </Field>
      <Field id="confirm" label="Repeat the password" error={fieldErrors.confirm}>
        <TextInput id="confirm" name="confirm" type="password" autoComplete="new-password" invalid={!!fieldErrors.confirm} />
      </Field>
      <FormError error={error} fieldErrors={fieldErrors} />
      <SubmitButton className="w-full" pending={pending}>
        {pending ? "Setting up…" : "Create workspace and admin"}
      </SubmitButton>
    </form>
  );
}
