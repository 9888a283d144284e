"use client";
import { FormError } from "@/components/ui/form-error";
import { useGoFresh } from "@/components/use-go-fresh";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { acceptInvitationAsSignedInUser, acceptInvitationWithNewAccount } from "./actions";

export function NewAccountForm({ token, email }: { token: string; email: string }) {
  const goFresh = useGoFresh();
  const { run, pending, fieldErrors, error } = useAction(acceptInvitationWithNewAccount, { showsErrors: true });
  return (
    <form
      method="post"
      noValidate
      className="space-y-3"
      onSubmit={submitHandler((form) =>
        run(
          { token, fullName: formText(form, "fullName"), password: formText(form, "password") },
          {
            success: ({ workspaceName }) => `Welcome to ${workspaceName}.`,
            onSuccess: ({ redirectTo }) => goFresh(redirectTo),
          },
        ),
      )}
    >
      <Field id="email" label="Email">
        <TextInput id="email" value={email} readOnly disabled />
      </Field>
      <Field id="fullName" label="Your name" error={fieldErrors.fullName}>
        <TextInput id="fullName" name="fullName" autoComplete="name" invalid={!!fieldErrors.fullName} autoFocus />
      </Field>
      <Field id="password" label="Choose a password" error={fieldErrors.password} hint="At least 8 characters.">
        <TextInput id="password" name="password" type="password" autoComplete="new-password" invalid={!!fieldErrors.password} />
      </Field>
      <FormError error={error} fieldErrors={fieldErrors} />
      <SubmitButton className="w-full" pending={pending}>
        {pending ? "Joining…" : "Create account and join"}
      </SubmitButton>
    </form>
  );
}

export function AcceptAsCurrentUser({ token, workspaceName }: { token: string; workspaceName: string }) {
  const goFresh = useGoFresh();
  const { run, pending, error } = useAction(acceptInvitationAsSignedInUser, { showsErrors: true });
  return (
    <div className="space-y-3">
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <Button
        className="w-full"
        busy={pending}
        onClick={() =>
          run(
            { token },
            {
              success: `You joined ${workspaceName}.`,
              onSuccess: ({ redirectTo }) => goFresh(redirectTo),
            },
          )
        }
      >
        {pending ? "Joining…" : `Join ${workspaceName}`}
      </Button>
    </div>
  );
}
