import { LEAD_STATUSES, type LeadStatus } from "@/db/schema/leads";
import { LEAD_STATUS_LABELS } from "@/lib/leads/lead-fields";
import { formatCount } from "./format";

/** Segment colours of the pipeline bar, in pipeline order. */
const COLOURS: Record<LeadStatus, string> = {
  new: "bg-zinc-400",
  contacted: "bg-sky-400",
  replied: "bg-sky-600",
  interested: "bg-emerald-400",
  meeting: "bg-emerald-600",
  won: "bg-emerald-800",
  lost: "bg-rose-400",
  unsubscribed: "bg-amber-400",
  bounced: "bg-rose-700",
};

/** The company's live leads per status: a bar to glance at, and the numbers to read. */
export function LeadStatusCounts({ counts, total }: { counts: Record<LeadStatus, number>; total: number }) {
  return (
    <section aria-labelledby="company-pipeline-heading" className="rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="company-pipeline-heading" className="text-sm font-semibold text-zinc-900">
        Leads by status <span className="font-normal text-zinc-500">({formatCount(total)})</span>
      </h2>
      {total > 0 ? (
        <div aria-hidden className="mt-3 flex h-2 overflow-hidden rounded-full bg-zinc-100">
          {LEAD_STATUSES.filter((s) => counts[s] > 0).map((s) => (
            <div key={s} className={COLOURS[s]} style={{ width: `${(counts[s] / total) * 100}%` }} />
          ))}
        </div>
      ) : null}
      <dl className="mt-3 grid grid-cols-3 gap-2 text-sm" data-testid="lead-status-counts">
        {LEAD_STATUSES.map((s) => (
          <div key={s} className="rounded-md bg-zinc-50 px-2 py-1.5">
            <dt className="flex items-center gap-1.5 text-xs text-zinc-600">
              <span aria-hidden className={`size-2 rounded-full ${COLOURS[s]}`} />
              {LEAD_STATUS_LABELS[s]}
            </dt>
            <dd className="font-medium tabular-nums text-zinc-900">{formatCount(counts[s])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
