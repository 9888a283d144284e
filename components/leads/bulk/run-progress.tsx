"use client";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/execute-action";

/** What a server action's caller shows when the request itself failed (offline, server restarting). */
export const unreachable = (): ActionResult<never> => ({
  ok: false,
  code: "network",
  error: "Could not reach the server. Check your connection and try again.",
});

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Dollars as the AI screens show them: cents, or four decimals for fractions of a cent. */
export const formatUsd = (v: number) => (v > 0 && v < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);

/** Ten failed reads in a row (about 8 s) and the run is lost track of: a restart or a flaky network is not that. */
const MAX_FAILED_READS = 10;

/**
 * Follows a background run by reading its progress every `everyMs` until `isFinal` says it
 * has ended, then calls `onFinished` once with the last progress (null when it could not be
 * read ten times in a row). `read` answers null for a failed read. `isIdle` stops reading
 * without finishing (a run the person paused); a change of `restartKey` reads again at once
 * (after Pause or Resume, say).
 */
export function usePolledProgress<P>({
  read,
  isFinal,
  isIdle,
  onFinished,
  everyMs,
  restartKey,
}: {
  read: () => Promise<P | null>;
  isFinal: (progress: P) => boolean;
  isIdle?: (progress: P) => boolean;
  onFinished: (progress: P | null) => void;
  everyMs: number;
  restartKey: string;
}): P | null {
  const [progress, setProgress] = useState<P | null>(null);
  // The latest callbacks, without restarting the polling when the parent re-renders.
  const latest = useRef({ read, isFinal, isIdle, onFinished });
  useEffect(() => {
    latest.current = { read, isFinal, isIdle, onFinished };
  });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      const next = await latest.current.read().catch(() => null);
      if (stopped) return;
      if (next !== null) {
        failures = 0;
        setProgress(next);
        if (latest.current.isFinal(next)) return latest.current.onFinished(next);
        if (latest.current.isIdle?.(next)) return;
      } else if (++failures >= MAX_FAILED_READS) return latest.current.onFinished(null);
      timer = setTimeout(poll, everyMs);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [restartKey, everyMs]);
  return progress;
}

/** A run's bar: `done` of `total`, named for screen readers, with its words beside it. */
export function RunProgressBar({
  label,
  done,
  total,
  live = false,
  children,
}: {
  label: string;
  done: number;
  total: number;
  /** Whether the words are announced as they change. */
  live?: boolean;
  children: ReactNode;
}) {
  const max = Math.max(total, 1);
  return (
    <>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={done}
        className="h-2 w-40 overflow-hidden rounded-full bg-accent-100"
      >
        <div className="h-full rounded-full bg-accent-600 transition-[width]" style={{ width: `${Math.round((done / max) * 100)}%` }} />
      </div>
      <span className="text-xs tabular-nums" aria-live={live ? "polite" : undefined}>
        {children}
      </span>
    </>
  );
}
