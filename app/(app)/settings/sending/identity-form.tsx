"use client";
import { useRef, useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { WEEKDAYS } from "@/db/schema/campaign-enums";
import { clockOf, WEEKDAY_LABELS, ZSendingIdentityFields, type SendingIdentityForm } from "@/lib/sending-identities/schemas";
import type { SendingIdentity } from "@/lib/sending-identities/sending-identities";
import { addSendingIdentity, saveSendingIdentity } from "./actions";

const TEXTAREA =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-zinc-500 focus:border-accent-500 focus:outline-none focus:ring-2 focus:ring-accent-100 aria-invalid:border-red-500";

const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? ["UTC", ...Intl.supportedValuesOf("timeZone")] : ["UTC"];
const NO_ZONES: string[] = [];
const subscribe = () => () => {};

function readForm(form: FormData): SendingIdentityForm {
  return {
    fromName: formText(form, "fromName"),
    fromEmail: formText(form, "fromEmail"),
    replyTo: formText(form, "replyTo"),
    dailyCap: formText(form, "dailyCap"),
    sendDays: form.getAll("sendDays").map(String),
    sendFrom: formText(form, "sendFrom"),
    sendUntil: formText(form, "sendUntil"),
    timeZone: formText(form, "timeZone"),
    postalAddress: formText(form, "postalAddress"),
    signature: formText(form, "signature"),
  };
}

/** Errors of the browser's own check, shaped as the server's field errors. */
function localErrors(input: SendingIdentityForm): Record<string, string[]> | null {
  const parsed = ZSendingIdentityFields.safeParse(input);
  if (parsed.success) return null;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
  return errors;
}

/**
 * Adds an identity, or edits one (`identity`). Editing one that pending, approved, running or
 * paused campaigns use says beforehand that a change of what it puts in an email returns them
 * to draft, and afterwards how many did.
 */
export function IdentityForm({ identity, onDone }: { identity?: SendingIdentity; onDone?: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const add = useAction(addSendingIdentity);
  const save = useAction(saveSendingIdentity);
  const [local, setLocal] = useState<Record<string, string[]> | null>(null);
  const pending = add.pending || save.pending;
  // The browser's list of zones, after hydration: the server's may differ.
  const zones = useSyncExternalStore(
    subscribe,
    () => ZONES,
    () => NO_ZONES,
  );
  const errors = local ?? (identity ? save.fieldErrors : add.fieldErrors);
  const prefix = identity ? `identity-${identity.id}` : "new-identity";
  const id = (name: string) => `${prefix}-${name}`;

  function submit(form: FormData) {
    const input = readForm(form);
    const problems = localErrors(input);
    setLocal(problems);
    if (problems) return;
    if (identity) {
      save.run(
        { identityId: identity.id, ...input },
        {
          success: ({ campaignsReturnedToDraft: n }) =>
            n > 0 ? `Saved. ${n} campaign${n === 1 ? "" : "s"} returned to draft and need${n === 1 ? "s" : ""} approval again.` : "Saved.",
          onSuccess: () => onDone?.(),
        },
      );
    } else {
      add.run(input, {
        success: `${input.fromEmail.trim().toLowerCase()} can now be chosen for campaigns.`,
        onSuccess: () => formRef.current?.reset(),
      });
    }
  }

  const returning = identity?.campaignsReturnedByContentChange ?? 0;
  return (
    <form
      ref={formRef}
      method="post"
      noValidate
      aria-label={identity ? `Edit ${identity.fromEmail}` : "Add a sending identity"}
      onSubmit={submitHandler(submit)}
      className="space-y-4"
    >
      {returning > 0 ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {returning} campaign{returning === 1 ? "" : "s"} waiting for approval, approved, running or paused use{returning === 1 ? "s" : ""}{" "}
          this identity. Changing its from name or address, reply-to, signature or postal address returns {returning === 1 ? "it" : "them"}{" "}
          to draft, to be approved again. The cap, days, hours and time zone can change freely.
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("fromName")} label="From name" error={errors.fromName}>
          <TextInput id={id("fromName")} name="fromName" defaultValue={identity?.fromName} invalid={!!errors.fromName} />
        </Field>
        <Field id={id("fromEmail")} label="From address" error={errors.fromEmail}>
          <TextInput
            id={id("fromEmail")}
            name="fromEmail"
            type="email"
            placeholder="name@company.com"
            defaultValue={identity?.fromEmail}
            invalid={!!errors.fromEmail}
          />
        </Field>
        <Field id={id("replyTo")} label="Reply-to (optional)" error={errors.replyTo} hint="Replies go to the from address when empty.">
          <TextInput id={id("replyTo")} name="replyTo" type="email" defaultValue={identity?.replyTo ?? ""} invalid={!!errors.replyTo} />
        </Field>
        <Field id={id("dailyCap")} label="Daily cap" error={errors.dailyCap} hint="Emails per day across every campaign using it.">
          <TextInput
            id={id("dailyCap")}
            name="dailyCap"
            type="number"
            min={1}
            max={10000}
            defaultValue={identity?.dailyCap ?? 50}
            invalid={!!errors.dailyCap}
          />
        </Field>
      </div>
      <fieldset aria-describedby={errors.sendDays ? `${id("sendDays")}-error` : undefined}>
        <legend className="text-xs font-medium text-zinc-700">Sending days</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {WEEKDAYS.map((day) => (
            <label key={day} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                name="sendDays"
                value={day}
                defaultChecked={identity ? identity.sendDays.includes(day) : day <= 5}
                className="size-4 accent-accent-600"
              />
              {WEEKDAY_LABELS[day]}
            </label>
          ))}
        </div>
        {errors.sendDays ? (
          <p id={`${id("sendDays")}-error`} role="alert" className="mt-1 text-xs text-red-600">
            {errors.sendDays.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id={id("sendFrom")} label="Sends from" error={errors.sendFrom}>
          <TextInput
            id={id("sendFrom")}
            name="sendFrom"
            type="time"
            defaultValue={clockOf(identity?.sendFromMinute ?? 540)}
            invalid={!!errors.sendFrom}
          />
        </Field>
        <Field id={id("sendUntil")} label="Until" error={errors.sendUntil} hint="In each lead's time zone.">
          <TextInput
            id={id("sendUntil")}
            name="sendUntil"
            type="time"
            defaultValue={clockOf(Math.min(identity?.sendUntilMinute ?? 1020, 1439))}
            invalid={!!errors.sendUntil}
          />
        </Field>
        <Field id={id("timeZone")} label="Default time zone" error={errors.timeZone} hint="For leads whose zone is unknown.">
          <TextInput
            id={id("timeZone")}
            name="timeZone"
            list={id("zones")}
            defaultValue={identity?.timeZone ?? "UTC"}
            invalid={!!errors.timeZone}
          />
        </Field>
      </div>
      <datalist id={id("zones")}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <Field
        id={id("postalAddress")}
        label="Postal address"
        error={errors.postalAddress}
        hint="The physical address in every email's footer (CAN-SPAM). A campaign without one cannot be submitted."
      >
        <textarea
          id={id("postalAddress")}
          name="postalAddress"
          rows={2}
          defaultValue={identity?.postalAddress ?? ""}
          aria-invalid={!!errors.postalAddress || undefined}
          className={TEXTAREA}
        />
      </Field>
      <Field id={id("signature")} label="Signature (optional)" error={errors.signature} hint="Plain text under each email's body.">
        <textarea
          id={id("signature")}
          name="signature"
          rows={3}
          defaultValue={identity?.signature ?? ""}
          aria-invalid={!!errors.signature || undefined}
          className={TEXTAREA}
        />
      </Field>
      <div className="flex gap-2">
        <SubmitButton pending={pending}>{pending ? "Saving…" : identity ? "Save changes" : "Add identity"}</SubmitButton>
        {onDone ? (
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
