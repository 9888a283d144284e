"use client";
import { useRef } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { ROLE_LABELS, WORKSPACE_ROLES, type WorkspaceRole } from "@/lib/auth/roles";
import { inviteMember } from "./actions";

export function InviteForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const { run, pending, fieldErrors, error } = useAction(inviteMember, { showsErrors: true });
  return (
    <form
      method="post"
      ref={formRef}
      noValidate
      aria-label="Invite a teammate"
      className="flex flex-wrap items-start gap-3"
      onSubmit={submitHandler((form) =>
        run(
          { email: formText(form, "email"), role: formText(form, "role") as WorkspaceRole },
          { success: ({ email }) => `Invitation sent to ${email}.`, onSuccess: () => formRef.current?.reset() },
        ),
      )}
    >
      <div className="w-72">
        <Field id="invite-email" label="Email" error={fieldErrors.email}>
          <TextInput id="invite-email" name="email" type="email" placeholder="name@company.com" invalid={!!fieldErrors.email} />
        </Field>
      </div>
      <div className="w-44">
        <Field id="invite-role" label="Role" error={fieldErrors.role}>
          <Select id="invite-role" name="role" defaultValue="sales_rep" invalid={!!fieldErrors.role}>
            {WORKSPACE_ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {/* Top-aligned so a field's error message grows downwards; mt-5 is the labels' height. */}
      <SubmitButton pending={pending} className="mt-5">
        {pending ? "Sending…" : "Send invitation"}
      </SubmitButton>
      <FormError error={error} fieldErrors={fieldErrors} className="basis-full" />
    </form>
  );
}
