"use client";
import { useSyncExternalStore } from "react";

/** Tailwind's `md` breakpoint: from here up the navigation is always shown beside the page. */
export const WIDE_SCREEN = "(min-width: 48rem)";

function subscribe(onChange: () => void) {
  const query = window.matchMedia(WIDE_SCREEN);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** Whether the window is as wide as `md` now (true while rendering on the server: the desktop layout). */
export function useWideScreen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(WIDE_SCREEN).matches,
    () => true,
  );
}
