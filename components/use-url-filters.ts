"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/**
 * How long a filter waits for the person to settle before it navigates. Arrow keys on a closed
 * `<select>` change it once per press: without the wait, stepping from the first option to the
 * fourth loaded three pages and left three entries in the history.
 */
export const FILTER_SETTLE_MS = 350;

/**
 * Filters that live in the URL (a filtered view can be shared and survives a reload), for a
 * form of selects that apply as they change. `requested` is what the person last chose, not
 * only what the server last rendered: a second change made before the first navigation lands
 * builds on the first instead of undoing it; a new render from the server (back, forward, a
 * shared link) takes over again.
 */
export function useUrlFilters<F>(filters: F, href: (next: F) => string): { requested: F; update: (next: F) => void } {
  const router = useRouter();
  const [requested, setRequested] = useState(filters);
  const [rendered, setRendered] = useState(filters);
  if (rendered !== filters) {
    setRendered(filters);
    setRequested(filters);
  }
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  function update(next: F) {
    setRequested(next);
    clearTimeout(pending.current);
    pending.current = setTimeout(() => router.push(href(next)), FILTER_SETTLE_MS);
  }
  return { requested, update };
}
