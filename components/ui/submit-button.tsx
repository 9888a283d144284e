"use client";
import { useSyncExternalStore, type ComponentProps } from "react";
import { Button } from "./button";

const subscribe = () => () => {};

/**
 * A submit button that stays disabled until the page has hydrated, so a fast click can never
 * fall through to a native form submit (which would put the fields in the URL). Until then it
 * is drawn as enabled: fading in from the pale disabled colour made it flash, and for the length
 * of the colour transition its white label failed contrast (axe caught it right after hydration).
 * While its action runs it is `busy` (see Button): it keeps the focus and submits nothing.
 */
export function SubmitButton({
  pending,
  ...props
}: Omit<ComponentProps<typeof Button>, "looksEnabled" | "type" | "busy"> & { pending: boolean }) {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return <Button type="submit" disabled={!hydrated} looksEnabled={!hydrated && !pending} busy={pending} {...props} />;
}
