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
 * got, until it finishes; then hands the final state to `onFinished` once. `known` is how far
 * it had got when the page was read, shown until the first read answers.
 */
export function BulkProgressBar({
  operationId,
  known,
  onFinished,
}: {
  operationId: string;
  known?: Pick<BulkProgress, "processed" | "total">;
  onFinished: (progress: BulkProgress | null) => void;
}) {
  const progress = usePolledProgress({
    read: () => readOperation(operationId),
    isFinal: (p) => FINISHED.has(p.status),
    onFinished,
    everyMs: 700,
    restartKey: operationId,
  });
  const shown = progress ?? known;
  const done = shown?.processed ?? 0;
  const total = Math.max(shown?.total ?? 0, done, 1);
  return (
    <div className="flex min-w-64 items-center gap-2">
      <RunProgressBar label="Bulk change progress" done={done} total={total}>
        {shown ? `${done.toLocaleString("en")} of ${total.toLocaleString("en")}` : "Starting…"}
      </RunProgressBar>
    </div>
  );
}
