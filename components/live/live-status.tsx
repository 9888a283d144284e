"use client";
import { useLiveStatus } from "./live-provider";

const WORDS = {
  connecting: "connecting…",
  live: "connected",
  reconnecting: "reconnecting…",
  off: "off (log in again to resume)",
} as const;

/**
 * Says how this page follows changes made elsewhere, and whether it is connected now: in the
 * words of its readers (`what`), the mechanism by default (the Jobs page, read by whoever runs the app).
 */
export function LiveStatusNote({ what = "Live updates: server-sent events fed by PostgreSQL LISTEN/NOTIFY" }: { what?: string }) {
  const status = useLiveStatus();
  return (
    <p className="flex items-center gap-1.5 text-xs text-zinc-600" data-testid="live-status" data-status={status}>
      <span
        aria-hidden
        className={`size-2 rounded-full ${status === "live" ? "bg-emerald-500" : status === "off" ? "bg-zinc-400" : "bg-amber-500"}`}
      />
      {what}, {WORDS[status]}
    </p>
  );
}
