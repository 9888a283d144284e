"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { CompanyPicker, companyChoiceOf } from "@/components/leads/detail/company-picker";
import { TimeZoneList } from "@/components/leads/time-zone-list";
import { Field, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { EDITABLE_LEAD_FIELDS, LEAD_FIELD_LABELS, type EditableLeadField } from "@/lib/leads/lead-fields";
import type { DuplicateLead } from "@/lib/leads/find-duplicate-lead";
import { createLead } from "./actions";

const INPUT_TYPES: Partial<Record<EditableLeadField, string>> = { email: "email", linkedinUrl: "url", phone: "tel", score: "number" };
const HINTS: Partial<Record<EditableLeadField, string>> = {
  email: "Needed for campaigns; a lead may have only a LinkedIn URL.",
  linkedinUrl: "A profile URL, like https://www.linkedin.com/in/name",
  timeZone: "An IANA zone, like Europe/Paris",
  score: "0 to 100",
};

export function NewLeadForm() {
  const router = useRouter();
  const { run, pending, fieldErrors, error } = useAction(createLead, { showsErrors: true });
  const [duplicate, setDuplicate] = useState<{ lead: DuplicateLead; message: string } | null>(null);
  const errors: Record<string, string[]> = duplicate ? { ...fieldErrors, [duplicate.lead.field]: [duplicate.message] } : fieldErrors;
  return (
    <form
      method="post"
      noValidate
      aria-label="New lead"
      className="space-y-4 rounded-lg border border-zinc-200 bg-white p-5"
      onSubmit={submitHandler((form) => {
        const fields = Object.fromEntries(EDITABLE_LEAD_FIELDS.map((f) => [f, formText(form, f)])) as Record<EditableLeadField, string>;
        setDuplicate(null);
        run(
          {
            ...fields,
            tags: formText(form, "tags"),
            ...companyChoiceOf(form),
          },
          {
            success: (result) => (result.created ? "Lead added." : ""),
            onSuccess: (result) => {
              if (result.created) router.push(`/leads/${result.leadId}`);
              else setDuplicate({ lead: result.duplicate, message: result.message });
            },
          },
        );
      })}
    >
      {duplicate ? (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="duplicate-lead"
        >
          <p>{duplicate.message}</p>
          <Link href={`/leads/${duplicate.lead.leadId}`} className="mt-1 inline-block font-medium underline">
            {duplicate.lead.deletedAt ? `See the deleted lead ${duplicate.lead.name}` : `Open ${duplicate.lead.name}`}
          </Link>
        </div>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        {EDITABLE_LEAD_FIELDS.map((field) => {
          const id = `new-lead-${field}`;
          const input = (
            <Field key={field} id={id} label={LEAD_FIELD_LABELS[field]} error={errors[field]} hint={HINTS[field]}>
              <TextInput
                id={id}
                name={field}
                type={INPUT_TYPES[field] ?? "text"}
                invalid={!!errors[field]}
                list={field === "timeZone" ? "new-lead-zones" : undefined}
                {...(field === "score" ? { min: 0, max: 100, step: 1 } : {})}
              />
            </Field>
          );
          // The company where the title is held; left blank, the lead joins the one at its email's domain.
          return field === "title"
            ? [input, <CompanyPicker key="company" id="new-lead-company" initial={null} error={errors.companyId} />]
            : input;
        })}
        <Field id="new-lead-tags" label="Tags" error={errors.tags} hint="Separated by commas, like vip, event-2026">
          <TextInput id="new-lead-tags" name="tags" invalid={!!errors.tags} />
        </Field>
      </div>
      <TimeZoneList id="new-lead-zones" />
      <FormError error={error} fieldErrors={fieldErrors} />
      <SubmitButton pending={pending}>{pending ? "Adding…" : "Add lead"}</SubmitButton>
    </form>
  );
}
