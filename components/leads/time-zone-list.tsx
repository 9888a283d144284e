"use client";
import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};
const NO_ZONES: string[] = [];
const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : NO_ZONES;

/**
 * The browser's time zones as suggestions for a lead's Time zone field (`list={id}`), so that
 * "Choose a time zone from the list" has a list; rendered after hydration since the server's
 * and the browser's lists may differ.
 */
export function TimeZoneList({ id }: { id: string }) {
  const zones = useSyncExternalStore(
    noSubscribe,
    () => ZONES,
    () => NO_ZONES,
  );
  return (
    <datalist id={id}>
      {zones.map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
}
