"use client";
import { useSyncExternalStore, type ComponentProps } from "react";
import { Button } from "./button";

const subscribe = () => () => {};

/**
 * A submit button that stays disabled until the page has hydrated, so a fast click can never
 * fall through to a native form submit (which would put the fields in the URL). Until then it
 * is drawn as enabled: fading in from the pale disabled colour made it flash, and for the length
 * of the colour transition its white label failed contrast (axe caught it right after hydration).
 *
 * While its action runs it is aria-disabled, not disabled: a focused element that becomes
 * disabled loses the focus to the page (the browser's focus fixup), so a keyboard user who
 * submitted found themselves back at the top. A click or an Enter meanwhile submits nothing: the
 * click that submits a form is cancelled.
 */
export function SubmitButton({
  pending,
  children,
  onClick,
  ...props
}: Omit<ComponentProps<typeof Button>, "looksEnabled" | "type"> & { pending: boolean }) {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return (
    <Button
      type="submit"
      disabled={!hydrated}
      looksEnabled={!hydrated && !pending}
      aria-disabled={pending || undefined}
      aria-busy={pending || undefined}
      {...props}
      onClick={(event) => {
        if (pending) event.preventDefault();
        else onClick?.(event);
      }}
    >
      {children}
    </Button>
  );
}
