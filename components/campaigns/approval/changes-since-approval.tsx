import { History } from "lucide-react";
import { LocalTime } from "@/components/ui/local-time";
import type { ChangesSinceApproval as Changes } from "@/lib/campaigns/approval/changes-since-approval";

/**
 * For the campaign page: what changed since the last approval (lib/campaigns/approval/
 * changes-since-approval.ts, findChangesSinceApproval). Renders nothing for a campaign never
 * approved, and says so plainly when the content is still what was approved.
 */
export function ChangesSinceApproval({ changes }: { changes: Changes | null }) {
  if (!changes) return null;
  const by = changes.approvedByName ?? "an admin";
  return (
    <section aria-labelledby="changes-since-approval-title" className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="changes-since-approval-title" className="flex items-center gap-1.5 text-sm font-semibold">
        <History aria-hidden className="size-4 text-zinc-500" /> Changes since approval
      </h2>
      <p className="text-xs text-zinc-600">
        Approved by {by} on <LocalTime value={changes.approvedAt} withTime />.
      </p>
      {changes.changes.length === 0 ? (
        <p className="text-sm text-zinc-700">Nothing has changed since: this is the content that was approved.</p>
      ) : (
        <>
          <ul className="list-disc space-y-0.5 pl-5 text-sm text-zinc-800">
            {changes.changes.map((change) => (
              <li key={change}>{change}</li>
            ))}
          </ul>
          <p className="text-xs text-zinc-600">These changes need a new approval before the campaign can be launched.</p>
        </>
      )}
    </section>
  );
}
