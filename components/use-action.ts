"use client";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/actions/execute-action";

type RunOptions<T> = {
  success?: string | ((data: T) => string);
  onSuccess?: (data: T) => void;
  onError?: (error: string) => void;
};

/**
 * Calls a server action, keeps its field errors for the form, and reports the outcome in a
 * toast. The form keeps what the user typed when the action fails.
 */
export function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>) {
  const [pending, startTransition] = useTransition();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);

  function run(input: I, options: RunOptions<T> = {}) {
    startTransition(async () => {
      let result: ActionResult<T>;
      try {
        result = await action(input);
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
        setFieldErrors(result.fieldErrors ?? {});
        setError(result.error);
        toast.error(result.error);
        options.onError?.(result.error);
      }
    });
  }

  return { run, pending, fieldErrors, error };
}
