"use client";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { simulateOutboxEmailEvent } from "@/app/(app)/settings/outbox/actions";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { OUTBOX_SIMULATIONS, REPLY_MAX_CHARS, SIMULATION_LABELS, type OutboxSimulation } from "@/lib/outbox/simulations";

const EVENTS = OUTBOX_SIMULATIONS.filter((kind): kind is Exclude<OutboxSimulation, "replied"> => kind !== "replied");

/** Buttons that make the outbox report what a provider or the recipient would, for this message. */
export function SimulatePanel({ messageId }: { messageId: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const event = useAction(simulateOutboxEmailEvent);
  const reply = useAction(simulateOutboxEmailEvent);
  const replyError = reply.fieldErrors.replyText;
  const id = `simulate-reply-${messageId}`;
  return (
    <section aria-labelledby="simulate-heading" className="space-y-2">
      <h3 id="simulate-heading" className="text-xs font-semibold text-zinc-700">
        Simulate
      </h3>
      <div className="flex flex-wrap gap-1.5">
        {EVENTS.map((kind) => (
          <Button
            key={kind}
            size="sm"
            variant="secondary"
            busy={event.pending}
            onClick={() =>
              event.run(
                { messageId, kind },
                { success: `${SIMULATION_LABELS[kind]}: event sent to the app.`, onSuccess: () => router.refresh() },
              )
            }
          >
            {SIMULATION_LABELS[kind]}
          </Button>
        ))}
      </div>
      <form
        ref={formRef}
        method="post"
        noValidate
        aria-label="Simulate a reply"
        className="space-y-1.5"
        onSubmit={submitHandler((form) =>
          reply.run(
            { messageId, kind: "replied", replyText: formText(form, "replyText") },
            {
              success: "Reply received: event sent to the app.",
              onSuccess: () => {
                formRef.current?.reset();
                router.refresh();
              },
            },
          ),
        )}
      >
        <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
          Reply from the recipient
        </label>
        <textarea
          id={id}
          name="replyText"
          rows={2}
          maxLength={REPLY_MAX_CHARS}
          placeholder="Thanks, let's talk on Tuesday."
          aria-invalid={replyError ? true : undefined}
          aria-describedby={replyError ? `${id}-error` : undefined}
          className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-zinc-500 focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none aria-invalid:border-red-500"
        />
        {replyError ? (
          <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
            {replyError.join(" ")}
          </p>
        ) : null}
        <SubmitButton pending={reply.pending}>{reply.pending ? "Sending…" : "Send reply"}</SubmitButton>
      </form>
    </section>
  );
}
