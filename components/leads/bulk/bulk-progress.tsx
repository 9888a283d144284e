"use client";
import type { BulkProgress } from "@/lib/leads/bulk/schemas";
import { RunProgressBar, usePolledProgress } from "./run-progress";

const FINISHED = new Set(["completed", "failed", "cancelled"]);

async function readOperation(operationId: string): Promise<BulkProgress | null> {
  const response = await fetch(`/api/leads/bulk-operations/${operationId}`, { cache: "no-store" });
  return response.ok ? ((await response.json()) as BulkProgress) : null;
}

/**
 * Follows a background bulk change on /api/leads/bulk-operations/<id> and shows how far it
 * got, until it finishes; then hands the final state to `onFinished` once.
 */
export function BulkProgressBar({ operationId, onFinished }: { operationId: string; onFinished: (progress: BulkProgress | null) => void }) {
  const progress = usePolledProgress({
    read: () => readOperation(operationId),
    isFinal: (p) => FINISHED.has(p.status),
    onFinished,
    everyMs: 700,
    restartKey: operationId,
  });
  const done = progress?.processed ?? 0;
  const total = Math.max(progress?.total ?? 0, done, 1);
  return (
    <div className="flex min-w-64 items-center gap-2">
      <RunProgressBar label="Bulk change progress" done={done} total={total}>
        {progress ? `${done.toLocaleString("en")} of ${total.toLocaleString("en")}` : "Starting…"}
      </RunProgressBar>
    </div>
  );
}
