"use client";
import { useState } from "react";
import { readReply } from "@/app/(app)/leads/[leadId]/reply-actions";
import { Field, Select, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { REPLY_CATEGORIES, REPLY_CATEGORY_LABELS, type ReplyCategory } from "@/lib/ai/replies/reply-categories";

/** What saving each reading does (apply-reply-action.ts), said before the person saves it. */
const WHAT_IT_DOES: Record<ReplyCategory, string> = {
  interested: "The lead becomes Interested and its owner is told.",
  question: "Recorded on the lead; nothing else changes.",
  not_interested: "Recorded on the lead; nothing else changes.",
  not_now: "Recorded on the lead; nothing else changes.",
  out_of_office: "With a return date, the sequence's next email waits until the day after it.",
  unsubscribe_request: "The lead is unsubscribed: its address goes on the suppression list and its sequences end.",
  wrong_person: "With a name or an email, that person is offered as a new lead.",
  auto_reply: "Recorded on the lead; nothing else changes.",
  bounce: "Recorded on the lead; nothing else changes.",
};

/**
 * A lead editor reads a reply themselves: when no model read it, or to change a reading whose
 * action was undone or that did nothing. The server checks the person may edit the lead.
 */
export function ReadReplyForm({ classificationId, current }: { classificationId: string; current: ReplyCategory | null }) {
  const { run, pending, fieldErrors, error } = useAction(readReply, { showsErrors: true });
  const [category, setCategory] = useState<ReplyCategory | "">(current ?? "");
  const id = `read-${classificationId}`;
  return (
    <form
      method="post"
      noValidate
      aria-label="Read this reply yourself"
      className="space-y-2"
      data-testid="read-reply-form"
      onSubmit={submitHandler((form) =>
        run(
          {
            classificationId,
            category: formText(form, "category") as ReplyCategory,
            returnDate: formText(form, "returnDate"),
            referralName: formText(form, "referralName"),
            referralEmail: formText(form, "referralEmail"),
          },
          { success: (d) => `Reply read as ${REPLY_CATEGORY_LABELS[d.category].toLowerCase()}.` },
        ),
      )}
    >
      <Field id={`${id}-category`} label="The reply is" error={fieldErrors.category}>
        <Select
          id={`${id}-category`}
          name="category"
          value={category}
          invalid={!!fieldErrors.category}
          onChange={(e) => setCategory(e.target.value as ReplyCategory | "")}
        >
          <option value="">Choose…</option>
          {REPLY_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {REPLY_CATEGORY_LABELS[c]}
            </option>
          ))}
        </Select>
      </Field>
      {category ? (
        <p className="text-xs text-zinc-600" data-testid="read-reply-effect">
          {WHAT_IT_DOES[category]}
        </p>
      ) : null}
      {category === "out_of_office" ? (
        <Field id={`${id}-return`} label="Back on (optional)" error={fieldErrors.returnDate}>
          <TextInput id={`${id}-return`} name="returnDate" type="date" invalid={!!fieldErrors.returnDate} />
        </Field>
      ) : null}
      {category === "wrong_person" ? (
        <div className="grid gap-2 sm:grid-cols-2">
          <Field id={`${id}-referral-name`} label="Who to contact instead (optional)" error={fieldErrors.referralName}>
            <TextInput id={`${id}-referral-name`} name="referralName" maxLength={200} invalid={!!fieldErrors.referralName} />
          </Field>
          <Field id={`${id}-referral-email`} label="Their email (optional)" error={fieldErrors.referralEmail}>
            <TextInput
              id={`${id}-referral-email`}
              name="referralEmail"
              type="email"
              maxLength={320}
              invalid={!!fieldErrors.referralEmail}
            />
          </Field>
        </div>
      ) : null}
      <FormError error={error} fieldErrors={fieldErrors} />
      <SubmitButton pending={pending}>{pending ? "Saving…" : "Save reading"}</SubmitButton>
    </form>
  );
}
