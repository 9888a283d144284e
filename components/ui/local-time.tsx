"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** Shows a time in the viewer's own time zone; the server renders UTC until the browser takes over. */
export function LocalTime({ value, withTime = false }: { value: Date | string; withTime?: boolean }) {
  const date = new Date(value);
  const text = useSyncExternalStore(
    subscribe,
    () => date.toLocaleString(undefined, withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" }),
    () =>
      `${date
        .toISOString()
        .slice(0, withTime ? 16 : 10)
        .replace("T", " ")}${withTime ? " UTC" : ""}`,
  );
  return <time dateTime={date.toISOString()}>{text}</time>;
}
