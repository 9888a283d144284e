"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { setPassword } from "./actions";

/** `askCurrentPassword`: the session was opened with a password, which must be given to change it. */
export function SetPasswordForm({ askCurrentPassword }: { askCurrentPassword: boolean }) {
  const router = useRouter();
  const { run, pending, fieldErrors, error } = useAction(setPassword, { showsErrors: true });
  return (
    <form
      method="post"
      noValidate
      className="space-y-3"
      onSubmit={submitHandler((form) =>
        run(
          {
            currentPassword: askCurrentPassword ? formText(form, "currentPassword") : undefined,
            password: formText(form, "password"),
            confirm: formText(form, "confirm"),
          },
          { success: "Password saved.", onSuccess: () => router.replace("/") },
        ),
      )}
    >
      {askCurrentPassword ? (
        <Field id="currentPassword" label="Current password" error={fieldErrors.currentPassword}>
          <TextInput
            id="currentPassword"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            invalid={!!fieldErrors.currentPassword}
          />
        </Field>
      ) : null}
      <Field id="password" label="New password" error={fieldErrors.password} hint="At least 8 characters.">
        <TextInput id="password" name="password" type="password" autoComplete="new-password" invalid={!!fieldErrors.password} />
      </Field>
      <Field id="confirm" label="Repeat the password" error={fieldErrors.confirm}>
        <TextInput id="confirm" name="confirm" type="password" autoComplete="new-password" invalid={!!fieldErrors.confirm} />
      </Field>
      <FormError error={error} fieldErrors={fieldErrors} />
      <SubmitButton className="w-full" pending={pending}>
        {pending ? "Saving…" : "Save password"}
      </SubmitButton>
    </form>
  );
}
