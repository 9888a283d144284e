"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * Shows a time in the viewer's own time zone and locale. The server knows neither, so it renders
 * the same style in UTC and US English, and the browser swaps in its own as it hydrates: a few
 * characters change (the hour, the day), never the format. When the server rendered
 * "2026-12-02 04:31 UTC" and the browser "Dec 2, 2026, 4:31 AM", the text's width changed on
 * hydration, lines re-wrapped and whatever was below moved (17 px on an import's page, where a
 * click landing in that moment hit the panel instead of the job-run link).
 */
export function LocalTime({ value, withTime = false }: { value: Date | string; withTime?: boolean }) {
  const date = new Date(value);
  const style: Intl.DateTimeFormatOptions = withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" };
  const text = useSyncExternalStore(
    subscribe,
    () => date.toLocaleString(undefined, style),
    () => date.toLocaleString("en-US", { ...style, timeZone: "UTC" }),
  );
  return <time dateTime={date.toISOString()}>{text}</time>;
}
