import Link from "next/link";
import { RunStatusBadge } from "@/components/jobs/run-status-badge";
import { LocalTime } from "@/components/ui/local-time";
import type { CampaignRun } from "@/lib/campaigns/stats/list-campaign-runs";

/** The campaign's own job runs (admins), each a link to its page on Jobs; each lead's run is on its emails page. */
export function CampaignRuns({ runs }: { runs: CampaignRun[] }) {
  return (
    <section aria-labelledby="campaign-runs" className="rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="campaign-runs" className="text-sm font-semibold text-zinc-900">
        Job runs
      </h2>
      {runs.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-600">No run of this campaign yet.</p>
      ) : (
        <ul className="mt-2 space-y-2 text-sm" data-testid="campaign-runs">
          {runs.map((run) => (
            <li key={run.id} className="flex flex-wrap items-center gap-2">
              <Link href={`/jobs/${run.id}`} className="font-medium text-accent-700 underline underline-offset-2">
                {run.functionId}
              </Link>
              <RunStatusBadge status={run.status} />
              <span className="text-xs text-zinc-500">
                <LocalTime value={run.createdAt} withTime />
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-3 text-xs text-zinc-500">Each lead&apos;s sequence run is linked from its emails.</p>
    </section>
  );
}
