"use client";
import { useState } from "react";
import { cn } from "@/components/ui/cn";
import { useAction } from "@/components/use-action";
import { setNotificationEmails } from "./actions";

/** "Email me notifications": saved as soon as it is flipped. */
export function EmailSwitch({ initial }: { initial: boolean }) {
  const [on, setOn] = useState(initial);
  const { run, pending } = useAction(setNotificationEmails);
  function toggle() {
    const next = !on;
    setOn(next);
    run(
      { emailEnabled: next },
      {
        success: ({ emailEnabled }) =>
          emailEnabled ? "Notifications will be emailed to you." : "Notifications will no longer be emailed.",
        onError: () => setOn(!next),
      },
    );
  }
  return (
    <div className="mt-4 flex items-center justify-between gap-4">
      <span id="email-switch-label" className="text-sm font-medium">
        Email me notifications
      </span>
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-labelledby="email-switch-label"
        // aria-disabled, not disabled, while it saves: it keeps the focus (see Button's `busy`).
        aria-disabled={pending || undefined}
        onClick={() => {
          if (!pending) toggle();
        }}
        className={cn(
          "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:ring-2 focus-visible:ring-accent-300 focus-visible:outline-none",
          on ? "bg-accent-600" : "bg-zinc-400",
        )}
      >
        <span
          aria-hidden
          className={cn("inline-block size-5 rounded-full bg-white shadow transition-transform", on ? "translate-x-5" : "translate-x-0.5")}
        />
      </button>
    </div>
  );
}
