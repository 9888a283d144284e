import { FUNNEL_STAGES, type FunnelRow } from "@/lib/campaigns/stats/funnel-stages";
import { FUNNEL_STAGE_LABELS } from "./funnel-stage-labels";

/** The funnel's numbers (the chart's accessible twin): counts, and each stage's share of the emails sent. */
export function FunnelTable({ rows }: { rows: FunnelRow[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="funnel-table">
        <caption className="sr-only">Funnel per step and variant</caption>
        <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Step
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Variant
            </th>
            {FUNNEL_STAGES.map((stage) => (
              <th key={stage} scope="col" className="px-3 py-2 text-right font-medium">
                {FUNNEL_STAGE_LABELS[stage]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => (
            <tr key={`${row.stepPosition}-${row.variantLabel}`}>
              <th scope="row" className="px-3 py-2 text-left font-medium text-zinc-900">
                Step {row.stepPosition}
              </th>
              <td className="px-3 py-2 text-zinc-700">{row.variantLabel}</td>
              {FUNNEL_STAGES.map((stage) => (
                <td key={stage} className="px-3 py-2 text-right tabular-nums text-zinc-900">
                  {row[stage].toLocaleString("en")}
                  {stage !== "sent" && row.sent > 0 ? (
                    <span className="text-xs text-zinc-500"> ({Math.round((row[stage] / row.sent) * 100)}%)</span>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
