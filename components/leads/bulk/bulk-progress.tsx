"use client";
import { useEffect, useRef, useState } from "react";
import type { BulkProgress } from "@/lib/leads/bulk/schemas";

const POLL_MS = 700;
const FINISHED = new Set(["completed", "failed", "cancelled"]);

/**
 * Follows a background bulk change on /api/leads/bulk-operations/<id> and shows how far it
 * got, until it finishes; then hands the final state to `onFinished` once.
 */
export function BulkProgressBar({ operationId, onFinished }: { operationId: string; onFinished: (progress: BulkProgress | null) => void }) {
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  // The latest callback, without restarting the polling when the parent re-renders.
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const response = await fetch(`/api/leads/bulk-operations/${operationId}`, { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const next = (await response.json()) as BulkProgress;
        if (stopped) return;
        failures = 0;
        setProgress(next);
        if (FINISHED.has(next.status)) return finished.current(next);
      } catch {
        // A few missed polls (a restart, a flaky network) are not the change failing.
        if (++failures >= 10) return finished.current(null);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [operationId]);

  const total = Math.max(progress?.total ?? 0, progress?.processed ?? 0, 1);
  const done = progress?.processed ?? 0;
  return (
    <div className="flex min-w-64 items-center gap-2">
      <div
        role="progressbar"
        aria-label="Bulk change progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        className="h-2 w-40 overflow-hidden rounded-full bg-accent-100"
      >
        <div className="h-full rounded-full bg-accent-600 transition-[width]" style={{ width: `${Math.round((done / total) * 100)}%` }} />
      </div>
      <span className="text-xs tabular-nums">
        {progress ? `${done.toLocaleString("en")} of ${total.toLocaleString("en")}` : "Starting…"}
      </span>
    </div>
  );
}
