"use client";
import { Dialog } from "radix-ui";
import { Pause } from "lucide-react";
import { useState } from "react";
import { pauseCampaignAction } from "@/app/(app)/campaigns/lifecycle-actions";
import { Button } from "@/components/ui/button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { MAX_PAUSE_REASON } from "@/lib/campaigns/lifecycle/schemas";

const reasonIsEmpty = (form: FormData) => formText(form, "reason").trim() === "";

/** Pausing asks why: the reason shows on the campaign page until someone resumes it. */
export function PauseCampaignDialog({
  campaignId,
  name,
  disabled,
  onPaused,
}: {
  campaignId: string;
  name: string;
  disabled: boolean;
  onPaused: () => void;
}) {
  const [open, setOpen] = useState(false);
  const pause = useAction(pauseCampaignAction);
  const reasonError = pause.fieldErrors.reason;
  const id = "pause-reason";
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button size="sm" variant="secondary" busy={disabled || pause.pending}>
          <Pause aria-hidden className="size-3.5" />
          {pause.pending ? "Pausing…" : "Pause"}
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/30" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-full max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-sm font-semibold">{`Pause “${name}”?`}</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-zinc-600">
            No email goes out until an admin resumes it; each lead then continues from its next step.
          </Dialog.Description>
          <form
            method="post"
            noValidate
            className="mt-4 space-y-2"
            onSubmit={submitHandler((form) =>
              pause.run(
                { campaignId, reason: formText(form, "reason") },
                {
                  success: `“${name}” is paused.`,
                  onSuccess: () => {
                    setOpen(false);
                    onPaused();
                  },
                  // Refused for another reason than the field (it completed meanwhile): show where it is now.
                  onError: () => {
                    if (!reasonIsEmpty(form)) {
                      setOpen(false);
                      onPaused();
                    }
                  },
                },
              ),
            )}
          >
            <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
              Why pause it
            </label>
            <textarea
              id={id}
              name="reason"
              rows={3}
              maxLength={MAX_PAUSE_REASON}
              placeholder="The team reads this on the campaign page."
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `${id}-error` : undefined}
              className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-zinc-500 focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none aria-invalid:border-red-500"
            />
            {reasonError ? (
              <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
                {reasonError.join(" ")}
              </p>
            ) : null}
            <div className="flex justify-end gap-2 pt-3">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" variant="danger" busy={pause.pending}>
                {pause.pending ? "Pausing…" : "Pause campaign"}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
