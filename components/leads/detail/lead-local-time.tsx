"use client";
import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/** The lead's own clock ("14:05 there"), so a rep sees whether it is a good time to call. Browser only: it is the viewer's now. */
export function LeadLocalTime({ timeZone }: { timeZone: string }) {
  const text = useSyncExternalStore(
    noSubscribe,
    () => {
      try {
        return new Date().toLocaleTimeString(undefined, { timeZone, hour: "2-digit", minute: "2-digit" });
      } catch {
        return null;
      }
    },
    () => null,
  );
  return text ? <span className="text-zinc-500"> · {text} there</span> : null;
}
