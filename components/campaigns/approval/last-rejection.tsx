import { MessageSquareWarning } from "lucide-react";
import { LocalTime } from "@/components/ui/local-time";
import type { LastRejection as Rejection } from "@/lib/campaigns/approval/last-rejection";

/** For the campaign page: why an admin sent this draft back (findLastRejection), until it is submitted again. */
export function LastRejection({ rejection }: { rejection: Rejection | null }) {
  if (!rejection) return null;
  return (
    <section aria-labelledby="last-rejection-title" className="space-y-1 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm">
      <h2 id="last-rejection-title" className="flex items-center gap-1.5 font-semibold text-amber-900">
        <MessageSquareWarning aria-hidden className="size-4" /> Sent back for changes
      </h2>
      <p className="text-xs text-amber-900">
        By {rejection.decidedByName ?? "an admin"} on <LocalTime value={rejection.decidedAt} withTime />:
      </p>
      <p className="whitespace-pre-wrap text-zinc-900">{rejection.comment}</p>
    </section>
  );
}
