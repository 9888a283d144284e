"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { updateLead } from "@/app/(app)/leads/[leadId]/actions";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { TimeZoneList } from "@/components/leads/time-zone-list";
import { CompanyPicker, companyChoiceOf } from "./company-picker";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { EDITABLE_LEAD_FIELDS, LEAD_FIELD_LABELS, type EditableLeadField } from "@/lib/leads/lead-fields";
import type { LeadRecord } from "@/lib/leads/lead-detail-types";

const INPUT_TYPES: Partial<Record<EditableLeadField, string>> = { email: "email", linkedinUrl: "url", phone: "tel", score: "number" };
const HINTS: Partial<Record<EditableLeadField, string>> = {
  linkedinUrl: "A profile URL, like https://www.linkedin.com/in/name",
  timeZone: "An IANA zone, like Europe/Paris",
  score: "0 to 100",
};

const fieldText = (lead: LeadRecord, field: EditableLeadField | "tags") =>
  field === "tags" ? lead.tags.join(", ") : lead[field] === null ? "" : String(lead[field]);

/**
 * Whether the form holds typing that `latest` would throw away: a field changed from what the
 * form was loaded with, to something other than what the lead now holds (after one's own save,
 * the form holds exactly the saved values).
 */
function hasUnsavedEdits(form: HTMLFormElement | null, latest: LeadRecord): boolean {
  if (!form) return false;
  // The company picker's choice (a hidden input: its default value follows its value).
  const company = form.elements.namedItem("companyId");
  if (company instanceof HTMLInputElement && company.value !== company.dataset.initial && company.value !== (latest.companyId ?? ""))
    return true;
  return [...EDITABLE_LEAD_FIELDS, "tags" as const].some((field) => {
    const input = form.elements.namedItem(field);
    if (!(input instanceof HTMLInputElement)) return false;
    return input.value !== input.defaultValue && input.value !== fieldText(latest, field);
  });
}

/**
 * The edit form. It sends back the version it was loaded with, so a save after someone else's
 * change is refused with their name instead of overwriting it. When the lead changes elsewhere
 * (a live update), the form takes the new values unless the user is typing: then their edits
 * stay, with a word that the lead changed, and a save is checked against the version they
 * started from.
 */
export function EditLeadForm({ lead: latest, idPrefix }: { lead: LeadRecord; idPrefix: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  // The version being edited: the latest one, unless adopting it would lose the user's typing.
  const [lead, setLead] = useState(latest);
  useEffect(() => {
    if (latest.version !== lead.version && !hasUnsavedEdits(formRef.current, latest)) setLead(latest);
  }, [latest, lead.version]);
  const changedElsewhere = latest.version !== lead.version;
  const { run, pending, fieldErrors, error } = useAction(updateLead, { showsErrors: true });
  // An error no field carries is a conflict (someone saved first) or a refusal: show the latest.
  const stale = !!error && Object.keys(fieldErrors).length === 0;
  const zonesId = `${idPrefix}-zones`;
  return (
    <form
      ref={formRef}
      method="post"
      noValidate
      aria-label="Edit lead"
      className="@container space-y-3"
      onSubmit={submitHandler((form) => {
        const fields = Object.fromEntries(EDITABLE_LEAD_FIELDS.map((f) => [f, formText(form, f)])) as Record<EditableLeadField, string>;
        run(
          {
            leadId: lead.id,
            version: lead.version,
            ...fields,
            tags: formText(form, "tags"),
            ...companyChoiceOf(form),
          },
          { success: ({ changed }) => (changed.length ? "Lead saved." : "Nothing to save: no field changed.") },
        );
      })}
    >
      {changedElsewhere ? (
        <p role="status" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900">
          This lead was changed elsewhere while you were editing. Your edits are kept; saving them tells you what changed.{" "}
          <button type="button" className="font-medium underline" onClick={() => setLead(latest)}>
            Discard my edits and show the latest
          </button>
        </p>
      ) : null}
      {/* Keyed by the version shown: adopting a newer one starts the fields from its values. */}
      <div key={lead.version} className="grid gap-3 @lg:grid-cols-2">
        {EDITABLE_LEAD_FIELDS.map((field) => {
          const id = `${idPrefix}-${field}`;
          const value = lead[field];
          const input = (
            <Field key={field} id={id} label={LEAD_FIELD_LABELS[field]} error={fieldErrors[field]} hint={HINTS[field]}>
              <TextInput
                id={id}
                name={field}
                type={INPUT_TYPES[field] ?? "text"}
                defaultValue={value === null ? "" : String(value)}
                invalid={!!fieldErrors[field]}
                list={field === "timeZone" ? zonesId : undefined}
                {...(field === "score" ? { min: 0, max: 100, step: 1 } : {})}
              />
            </Field>
          );
          if (field !== "title") return input;
          // The company where the title is held.
          return [
            input,
            <CompanyPicker
              key="company"
              id={`${idPrefix}-company`}
              initial={lead.companyId ? { id: lead.companyId, name: lead.companyName ?? "" } : null}
              error={fieldErrors.companyId}
            />,
          ];
        })}
        <Field id={`${idPrefix}-tags`} label="Tags" error={fieldErrors.tags} hint="Separated by commas, like vip, event-2026">
          <TextInput id={`${idPrefix}-tags`} name="tags" defaultValue={lead.tags.join(", ")} invalid={!!fieldErrors.tags} />
        </Field>
      </div>
      <TimeZoneList id={zonesId} />
      <FormError error={error} fieldErrors={fieldErrors} />
      <div className="flex gap-2">
        <SubmitButton pending={pending}>{pending ? "Saving…" : "Save changes"}</SubmitButton>
        {/* The fields are keyed by the version shown: the latest one brings the saved values back. */}
        {stale ? (
          <Button
            variant="secondary"
            onClick={() => {
              setLead(latest);
              router.refresh();
            }}
          >
            Load the latest version
          </Button>
        ) : null}
      </div>
    </form>
  );
}
