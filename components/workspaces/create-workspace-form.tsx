"use client";
import { createNewWorkspace } from "@/app/(app)/actions";
import { Field, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { useGoFresh } from "@/components/use-go-fresh";

/** Names a new workspace; its creator becomes its admin and lands in it. */
export function CreateWorkspaceForm({ onCreated }: { onCreated?: () => void }) {
  const goFresh = useGoFresh();
  const { run, pending, fieldErrors, error } = useAction(createNewWorkspace, { showsErrors: true });
  return (
    <form
      method="post"
      noValidate
      className="space-y-3"
      onSubmit={submitHandler((form) =>
        run(
          { name: formText(form, "name") },
          {
            success: ({ workspaceName }) => `${workspaceName} is ready. You are its admin.`,
            onSuccess: () => {
              onCreated?.();
              goFresh("/");
            },
          },
        ),
      )}
    >
      <Field id="new-workspace-name" label="Workspace name" error={fieldErrors.name} hint="You become its admin and can invite your team.">
        <TextInput id="new-workspace-name" name="name" autoComplete="organization" autoFocus invalid={!!fieldErrors.name} />
      </Field>
      <FormError error={error} fieldErrors={fieldErrors} />
      <SubmitButton className="w-full" pending={pending}>
        {pending ? "Creating…" : "Create workspace"}
      </SubmitButton>
    </form>
  );
}
