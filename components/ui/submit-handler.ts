import type { FormEvent } from "react";

/**
 * Submits a form's data to `handler` without React's form `action`, which resets every field
 * afterwards: a form that fails validation must keep what the person typed.
 */
export function submitHandler(handler: (form: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    handler(new FormData(event.currentTarget));
  };
}

/** A text field's value; a missing field reads as empty, for the action's schema to judge. */
export const formText = (form: FormData, name: string): string => String(form.get(name) ?? "");
