"use client";
import { useEffect, useState, type ReactNode } from "react";

/**
 * The Export CSV link, with the browser's time zone added once the page runs (`tz`, unless the
 * view has one): the table shows dates in local time, so the file does too, its headers naming
 * the zone. Added after hydration, so the server's HTML and the first render agree.
 */
export function ExportLink({ href, className, children }: { href: string; className: string; children: ReactNode }) {
  const [withZone, setWithZone] = useState(href);
  useEffect(() => {
    const url = new URL(href, window.location.origin);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!url.searchParams.has("tz") && zone) url.searchParams.set("tz", zone);
    setWithZone(`${url.pathname}${url.search}`);
  }, [href]);
  return (
    <a href={withZone} className={className}>
      {children}
    </a>
  );
}
