"use client";
import { AlertDialog } from "radix-ui";
import { Rocket } from "lucide-react";
import { useState } from "react";
import { launchCampaignAction } from "@/app/(app)/campaigns/lifecycle-actions";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import type { InstantlySignature } from "@/lib/integrations/instantly/push/delivery";
import { signatureNote } from "./instantly-signature-note";

type Delivery = "resend" | "instantly";

/**
 * The first launch of a campaign asks how it is delivered: by this app through Resend, or by
 * the workspace's Instantly account (only when Instantly is connected with an API key, or as
 * the sandbox where it is on — then labelled sample data). The
 * choice holds for the campaign's life; the server checks it again.
 *
 * A refusal stays in the dialog, whose choice the admin may change and try again (Instantly not
 * answering, the hourly limit on campaign changes); the page reloads behind it, and when the
 * campaign has moved on (launched from another tab, withdrawn) the dialog goes with its button.
 */
export function LaunchCampaignDialog({
  campaignId,
  name,
  disabled,
  instantlyConnected,
  instantlySandbox = false,
  instantlySignature = null,
  onDone,
}: {
  campaignId: string;
  name: string;
  disabled: boolean;
  instantlyConnected: boolean;
  /** Instantly is connected as the sandbox: the push lands in its sample workspace, nothing is sent. */
  instantlySandbox?: boolean;
  /** Whose signature the emails sent through Instantly carry, and the senders whose own differs. */
  instantlySignature?: InstantlySignature | null;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [delivery, setDelivery] = useState<Delivery>("resend");
  // The refusal of this opening of the dialog: reopened, it starts afresh.
  const [refusal, setRefusal] = useState<string | null>(null);
  const launch = useAction(launchCampaignAction, { showsErrors: true });
  const openChange = (next: boolean) => {
    setOpen(next);
    setRefusal(null);
  };
  const choices: { value: Delivery; label: string; hint: string; unavailable?: string; note?: string | null }[] = [
    {
      value: "resend",
      label: "Send from this app (Resend)",
      hint: "Its audience is enrolled now: leads unsubscribed, bounced, suppressed or in another campaign at this moment are left out. Each lead's first email goes out in its mailbox's sending hours, in the lead's time zone.",
    },
    {
      value: "instantly",
      label: instantlySandbox ? "Send through Instantly (sandbox, sample data)" : "Send through Instantly",
      hint: instantlySandbox
        ? "Instantly is connected as the sandbox: the approved emails and the audience are copied to a campaign in the app's sample Instantly workspace, to try the flow. Nothing is sent to anyone; the campaign shows in Instantly's sample data after the next sync."
        : "The approved emails and the audience are copied to a new campaign in your Instantly account, which sends them from your identities' addresses (they must be sending accounts in Instantly). Pause, resume and stop here apply there too.",
      unavailable: instantlyConnected ? undefined : "Connect Instantly with an API key in Settings → Integrations to choose it.",
      note: instantlyConnected ? signatureNote(instantlySignature) : undefined,
    },
  ];
  return (
    <AlertDialog.Root open={open} onOpenChange={openChange}>
      <AlertDialog.Trigger asChild>
        <Button size="sm" busy={disabled || launch.pending}>
          <Rocket aria-hidden className="size-3.5" />
          {launch.pending ? "Launching…" : "Launch"}
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/30" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-full max-w-lg -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <AlertDialog.Title className="text-sm font-semibold">{`Launch “${name}”?`}</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-zinc-600">
            Choose how it is delivered. This cannot be changed once it is launched.
          </AlertDialog.Description>
          <form
            method="post"
            noValidate
            className="mt-4 space-y-3"
            onSubmit={submitHandler(() =>
              launch.run(
                { campaignId, deliverThrough: delivery },
                {
                  success: delivery === "instantly" ? `“${name}” is being sent to Instantly.` : `“${name}” is launched.`,
                  onSuccess: () => {
                    setOpen(false);
                    onDone();
                  },
                  onError: (error) => {
                    setRefusal(error);
                    onDone();
                  },
                },
              ),
            )}
          >
            <fieldset className="space-y-2">
              <legend className="text-xs font-medium text-zinc-700">Deliver through</legend>
              {choices.map((choice) => {
                const id = `deliver-through-${choice.value}`;
                return (
                  <div key={choice.value} className="flex gap-2.5 rounded-md border border-zinc-200 p-3 has-checked:border-accent-500">
                    <input
                      id={id}
                      type="radio"
                      name="deliverThrough"
                      value={choice.value}
                      checked={delivery === choice.value}
                      disabled={choice.unavailable !== undefined}
                      onChange={() => setDelivery(choice.value)}
                      aria-describedby={`${id}-hint`}
                      className="mt-0.5"
                    />
                    <div>
                      <label htmlFor={id} className="text-sm font-medium text-zinc-900">
                        {choice.label}
                      </label>
                      <p id={`${id}-hint`} className="mt-0.5 text-xs text-zinc-600">
                        {choice.unavailable ?? choice.hint}
                        {choice.note ? (
                          <span className="mt-1 block text-amber-800" data-testid="instantly-signature-note">
                            {choice.note}
                          </span>
                        ) : null}
                      </p>
                    </div>
                  </div>
                );
              })}
            </fieldset>
            <FormError error={refusal} fieldErrors={{}} />
            <div className="flex justify-end gap-2 pt-2">
              <AlertDialog.Cancel asChild>
                <Button variant="secondary">Cancel</Button>
              </AlertDialog.Cancel>
              <SubmitButton variant="danger" pending={launch.pending}>
                {launch.pending ? "Launching…" : delivery === "instantly" ? "Launch through Instantly" : "Launch campaign"}
              </SubmitButton>
            </div>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
