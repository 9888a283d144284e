"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import type { LiveMessage } from "@/lib/live/events";
import { useLiveEvents, useLiveStatus } from "./live-provider";

/** At most one refresh per this long, however many changes arrive (an import writes many batches a second). */
const MIN_INTERVAL_MS = 800;

/**
 * Re-renders the server parts of the page (router.refresh: scroll, selection and what is typed
 * stay) when something it shows changes elsewhere: a change of one of `kinds`, about one of
 * `ids` when given. At once for the first change, then at most once per 0.8 s; a hidden tab
 * refreshes when it is shown again. While live updates are not connected and `fallbackMs` is
 * set, it polls as before.
 */
export function LiveRefresh({
  kinds,
  ids,
  fallbackMs,
}: {
  kinds: readonly LiveMessage["k"][];
  ids?: readonly string[];
  fallbackMs?: number;
}) {
  const refresh = useThrottledRefresh();
  const idKey = ids?.join(",");
  useLiveEvents(kinds, (message) => {
    const wanted = idKey ? idKey.split(",") : null;
    if (message.k === "resync" || !wanted || message.ids === null || message.ids.some((id) => wanted.includes(id))) refresh();
  });
  const status = useLiveStatus();
  const router = useRouter();
  useEffect(() => {
    if (!fallbackMs || status === "live") return;
    const timer = setInterval(() => document.visibilityState === "visible" && router.refresh(), fallbackMs);
    return () => clearInterval(timer);
  }, [fallbackMs, status, router]);
  return null;
}

/** A router.refresh() that runs at once, then at most every 0.8 s, and waits while the tab is hidden. */
export function useThrottledRefresh(run?: () => void): () => void {
  const router = useRouter();
  const state = useRef({ last: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined, hiddenPending: false });
  const action = useRef(run ?? (() => router.refresh()));
  useEffect(() => {
    action.current = run ?? (() => router.refresh());
  });
  useEffect(() => {
    const s = state.current;
    const onShown = () => {
      if (document.visibilityState === "visible" && s.hiddenPending) {
        s.hiddenPending = false;
        s.last = Date.now();
        action.current();
      }
    };
    document.addEventListener("visibilitychange", onShown);
    return () => {
      document.removeEventListener("visibilitychange", onShown);
      clearTimeout(s.timer);
    };
  }, []);
  const trigger = useRef(() => {
    const s = state.current;
    if (document.visibilityState !== "visible") {
      s.hiddenPending = true;
      return;
    }
    if (s.timer) return;
    const wait = s.last + MIN_INTERVAL_MS - Date.now();
    const fire = () => {
      s.timer = undefined;
      s.last = Date.now();
      action.current();
    };
    if (wait <= 0) fire();
    else s.timer = setTimeout(fire, wait);
  });
  return trigger.current;
}
