"use client";
import { useRouter } from "next/navigation";
import { useSyncExternalStore } from "react";
import { updateLead } from "@/app/(app)/leads/[leadId]/actions";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
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

const noSubscribe = () => () => {};
/** The browser's list of zones, for suggestions; rendered after hydration since server and browser lists may differ. */
function useTimeZones(): string[] {
  return useSyncExternalStore(
    noSubscribe,
    () => ZONES,
    () => NO_ZONES,
  );
}
const NO_ZONES: string[] = [];
const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : NO_ZONES;

/**
 * The edit form. It sends back the version it was loaded with, so a save after someone else's
 * change is refused with their name instead of overwriting it. Keyed by that version by its
 * parent: when the lead changes, the form starts again from the saved values.
 */
export function EditLeadForm({ lead, idPrefix }: { lead: LeadRecord; idPrefix: string }) {
  const router = useRouter();
  const { run, pending, fieldErrors, error } = useAction(updateLead);
  // An error no field carries is a conflict (someone saved first) or a refusal: show the latest.
  const stale = !!error && Object.keys(fieldErrors).length === 0;
  const zones = useTimeZones();
  const zonesId = `${idPrefix}-zones`;
  return (
    <form
      method="post"
      noValidate
      aria-label="Edit lead"
      className="@container space-y-3"
      onSubmit={submitHandler((form) => {
        const fields = Object.fromEntries(EDITABLE_LEAD_FIELDS.map((f) => [f, formText(form, f)])) as Record<EditableLeadField, string>;
        run(
          { leadId: lead.id, version: lead.version, ...fields, tags: formText(form, "tags") },
          { success: ({ changed }) => (changed.length ? "Lead saved." : "Nothing to save: no field changed.") },
        );
      })}
    >
      <div className="grid gap-3 @lg:grid-cols-2">
        {EDITABLE_LEAD_FIELDS.map((field) => {
          const id = `${idPrefix}-${field}`;
          const value = lead[field];
          return (
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
        })}
        <Field id={`${idPrefix}-tags`} label="Tags" error={fieldErrors.tags} hint="Separated by commas, like vip, event-2026">
          <TextInput id={`${idPrefix}-tags`} name="tags" defaultValue={lead.tags.join(", ")} invalid={!!fieldErrors.tags} />
        </Field>
      </div>
      <datalist id={zonesId}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <FormError error={error} fieldErrors={fieldErrors} />
      <div className="flex gap-2">
        <SubmitButton pending={pending}>{pending ? "Saving…" : "Save changes"}</SubmitButton>
        {/* The form is keyed by the lead's version: a refresh brings the saved values back. */}
        {stale ? (
          <Button variant="secondary" onClick={() => router.refresh()}>
            Load the latest version
          </Button>
        ) : null}
      </div>
    </form>
  );
}
