"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { describeSkips } from "@/lib/leads/bulk/plan-batch";
import type { BulkProgress } from "@/lib/leads/bulk/schemas";
import type { RunningBulkChange } from "@/lib/leads/bulk/running-bulk-changes";
import { BulkProgressBar } from "./bulk-progress";

/**
 * The person's background bulk changes that were still running when the leads page loaded:
 * the selection bar follows a change only while it is on screen, so after a reload (or coming
 * back to the page) this picks the changes up again, shows how far each got and says when
 * each ends, then reads the page again. Only the changes running when it first rendered: one
 * started later from this page is followed by its selection bar, and a refresh of the page
 * (which lists it too) must not follow it twice.
 */
export function RunningBulkChanges({ changes }: { changes: RunningBulkChange[] }) {
  const router = useRouter();
  const [following, setFollowing] = useState(changes);
  if (following.length === 0) return null;

  function finished(change: RunningBulkChange, progress: BulkProgress | null) {
    setFollowing((list) => list.filter((c) => c.operationId !== change.operationId));
    router.refresh();
    if (!progress) return void toast.error(`${change.summary}: lost track of it. Reload the page to see how far it got.`);
    const changed = `${progress.changed.toLocaleString("en")} lead${progress.changed === 1 ? "" : "s"} changed.`;
    const message = [`${change.summary}: done, ${changed}`, describeSkips(progress.skipped)].filter(Boolean).join(" ");
    if (progress.status === "failed") toast.error(`${change.summary}: stopped. ${progress.error ?? ""}`.trim());
    else toast.success(message);
  }

  return (
    <section aria-label="Bulk changes under way" className="space-y-2 border-b border-zinc-200 bg-accent-50/40 px-6 py-2">
      {following.map((change) => (
        <div key={change.operationId} className="flex flex-wrap items-center gap-3 text-sm text-zinc-800">
          <span>{change.summary}…</span>
          <BulkProgressBar operationId={change.operationId} known={change} onFinished={(progress) => finished(change, progress)} />
        </div>
      ))}
    </section>
  );
}
