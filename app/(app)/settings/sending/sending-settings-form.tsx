"use client";
import { useState, useSyncExternalStore } from "react";
import { Field, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { percentOf, ZSendingSettings, type SendingSettingsForm as FormValues } from "@/lib/workspaces/sending-settings-schema";
import type { SendingSettings } from "@/lib/workspaces/sending-settings";
import { saveSendingSettings } from "./actions";

const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? ["UTC", ...Intl.supportedValuesOf("timeZone")] : ["UTC"];
const NO_ZONES: string[] = [];
const subscribe = () => () => {};

function readForm(form: FormData): FormValues {
  return {
    timeZone: formText(form, "timeZone"),
    bounceRatePercent: formText(form, "bounceRatePercent"),
    complaintRatePercent: formText(form, "complaintRatePercent"),
    breakerMinSends: formText(form, "breakerMinSends"),
  };
}

function localErrors(input: FormValues): Record<string, string[]> | null {
  const parsed = ZSendingSettings.safeParse(input);
  if (parsed.success) return null;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
  return errors;
}

/** The workspace's time zone and the bounce breaker's thresholds, for admins. */
export function SendingSettingsForm({ settings }: { settings: SendingSettings }) {
  const save = useAction(saveSendingSettings);
  const [local, setLocal] = useState<Record<string, string[]> | null>(null);
  const zones = useSyncExternalStore(
    subscribe,
    () => ZONES,
    () => NO_ZONES,
  );
  const errors = local ?? save.fieldErrors;

  function submit(form: FormData) {
    const input = readForm(form);
    const problems = localErrors(input);
    setLocal(problems);
    if (!problems) save.run(input, { success: "Sending settings saved." });
  }

  return (
    <form method="post" noValidate aria-label="Workspace sending settings" onSubmit={submitHandler(submit)} className="space-y-4">
      <Field
        id="workspace-time-zone"
        label="Workspace time zone"
        error={errors.timeZone}
        hint="Sending windows use it for leads whose own time zone is unknown."
      >
        <TextInput
          id="workspace-time-zone"
          name="timeZone"
          list="workspace-zones"
          defaultValue={settings.timeZone}
          invalid={!!errors.timeZone}
          className="max-w-xs"
        />
      </Field>
      <datalist id="workspace-zones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <fieldset className="space-y-3">
        <legend className="text-xs font-medium text-zinc-700">Bounce protection</legend>
        <p className="text-xs text-zinc-600">
          A running campaign pauses itself, and admins are told, when its hard-bounce or spam-complaint rate over its latest sends passes
          these limits.
        </p>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="bounce-rate" label="Hard-bounce limit (%)" error={errors.bounceRatePercent} hint="Default 2 %.">
            <TextInput
              id="bounce-rate"
              name="bounceRatePercent"
              inputMode="decimal"
              defaultValue={percentOf(settings.bounceRateThreshold)}
              invalid={!!errors.bounceRatePercent}
            />
          </Field>
          <Field id="complaint-rate" label="Complaint limit (%)" error={errors.complaintRatePercent} hint="Default 0.1 %.">
            <TextInput
              id="complaint-rate"
              name="complaintRatePercent"
              inputMode="decimal"
              defaultValue={percentOf(settings.complaintRateThreshold)}
              invalid={!!errors.complaintRatePercent}
            />
          </Field>
          <Field
            id="breaker-min-sends"
            label="Judge after (sends)"
            error={errors.breakerMinSends}
            hint="Rates count the latest 100 sends, or this many if more."
          >
            <TextInput
              id="breaker-min-sends"
              name="breakerMinSends"
              inputMode="numeric"
              defaultValue={String(settings.breakerMinSends)}
              invalid={!!errors.breakerMinSends}
            />
          </Field>
        </div>
      </fieldset>
      <SubmitButton pending={save.pending}>{save.pending ? "Saving…" : "Save settings"}</SubmitButton>
    </form>
  );
}
