import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { CampaignDecisionRecord } from "@/lib/campaigns/approval/get-campaign-review";

/** Earlier approvals and rejections of the campaign, newest first, with each rejection's comment. */
export function DecisionHistory({ decisions }: { decisions: CampaignDecisionRecord[] }) {
  if (decisions.length === 0) return null;
  return (
    <section aria-labelledby="decision-history-title" className="space-y-2">
      <h2 id="decision-history-title" className="text-sm font-semibold">
        Earlier decisions
      </h2>
      <ul className="space-y-2">
        {decisions.map((d) => (
          <li key={d.id} className="rounded-lg border border-zinc-200 bg-white px-4 py-2 text-sm">
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={d.decision === "approved" ? "green" : "amber"}>{d.decision === "approved" ? "Approved" : "Rejected"}</Badge>
              <span className="text-zinc-700">{d.decidedByName ?? "A former member"}</span>
              <span className="text-xs text-zinc-500">
                <LocalTime value={d.decidedAt} withTime />
              </span>
            </p>
            {d.comment ? <p className="mt-1 whitespace-pre-wrap text-zinc-800">{d.comment}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
