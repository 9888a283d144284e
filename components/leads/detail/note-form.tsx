"use client";
import { useRef } from "react";
import { addLeadNote } from "@/app/(app)/leads/[leadId]/actions";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";

export function NoteForm({ leadId, idPrefix }: { leadId: string; idPrefix: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const { run, pending, fieldErrors, error: refused } = useAction(addLeadNote, { showsErrors: true });
  const id = `${idPrefix}-note`;
  const error = fieldErrors.body;
  return (
    <form
      ref={formRef}
      method="post"
      noValidate
      aria-label="Add a note"
      className="space-y-2"
      onSubmit={submitHandler((form) =>
        run({ leadId, body: formText(form, "body") }, { success: "Note added.", onSuccess: () => formRef.current?.reset() }),
      )}
    >
      <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
        Note
      </label>
      <textarea
        id={id}
        name="body"
        rows={3}
        maxLength={5000}
        placeholder="What happened on the call, what to do next…"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-zinc-500 focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none aria-invalid:border-red-500"
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
          {error.join(" ")}
        </p>
      ) : null}
      <FormError error={refused} fieldErrors={fieldErrors} />
      <SubmitButton pending={pending}>{pending ? "Adding…" : "Add note"}</SubmitButton>
    </form>
  );
}
