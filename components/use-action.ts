"use client";
import { useEffect, useRef, useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { usePagePin } from "@/components/live/live-provider";
import type { ActionResult, PagePin } from "@/lib/actions/execute-action";

type Failure = Extract<ActionResult<unknown>, { ok: false }>;

type RunOptions<T> = {
  success?: string | ((data: T) => string);
  onSuccess?: (data: T) => void;
  onError?: (error: string) => void;
  /** A button on the failure's toast: for example, to open the record a conflict is with (`existingId`). */
  errorAction?: (failure: Failure) => { label: string; onClick: () => void } | undefined;
};

/**
 * Calls a server action, keeps its field errors for the form, and reports the outcome in a
 * toast. The action is told which workspace the page shows (execute-action.ts, PagePin). The
 * form keeps what the user typed when the action fails, and its first field with an error takes
 * the focus (scrolled into view: in a long form or a side panel the field may be
 * out of sight, and a screen reader then reads its error).
 *
 * `showsErrors`: the component shows the action's errors itself (FormError, the fields' own
 * messages), so a failure gets no toast: the same words twice on the screen, and read out twice
 * (the toast's live region and the form's alert). Field errors that no field of the form marks
 * (a field it does not have) still get the toast, so that no refusal goes unsaid.
 */
export function useAction<I, T>(
  action: (input: I, page?: PagePin) => Promise<ActionResult<T>>,
  { showsErrors = false }: { showsErrors?: boolean } = {},
) {
  const pin = usePagePin();
  const [pending, startTransition] = useTransition();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  // The form the run was started from: its submit button or the field Enter was pressed in.
  const form = useRef<HTMLFormElement | null>(null);
  // With showsErrors, a refusal with field errors is toasted only if no field shows one (the effect below).
  const untoasted = useRef<string | null>(null);

  useEffect(() => {
    if (Object.keys(fieldErrors).length === 0) return;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    invalid?.focus();
    if (!invalid && untoasted.current) toast.error(untoasted.current);
    untoasted.current = null;
  }, [fieldErrors]);

  function run(input: I, options: RunOptions<T> = {}) {
    form.current = document.activeElement instanceof HTMLElement ? document.activeElement.closest("form") : null;
    startTransition(async () => {
      let result: ActionResult<T>;
      try {
        result = await action(input, pin);
      } catch {
        result = { ok: false, code: "network", error: "Could not reach the server. Check your connection and try again." };
      }
      if (result.ok) {
        setFieldErrors({});
        setError(null);
        const message = typeof options.success === "function" ? options.success(result.data) : options.success;
        if (message) toast.success(message);
        options.onSuccess?.(result.data);
      } else {
        const fields = result.fieldErrors ?? {};
        setFieldErrors(fields);
        setError(result.error);
        const action = options.errorAction?.(result);
        if (!showsErrors) toast.error(result.error, action ? { action } : undefined);
        else if (Object.keys(fields).length > 0) untoasted.current = result.error;
        options.onError?.(result.error);
      }
    });
  }

  return { run, pending, fieldErrors, error };
}
