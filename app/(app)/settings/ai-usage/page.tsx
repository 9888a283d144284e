import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { UsageChart } from "@/components/ai/usage-chart";
import { withUserTx } from "@/db";
import { AI_FEATURE_LABELS } from "@/lib/ai/feature-labels";
import { getAiSettings } from "@/lib/ai/settings";
import { aiUsageReport, type UsageTotals } from "@/lib/ai/usage-report";

export const metadata: Metadata = { title: "AI usage" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const usd = (value: number) =>
  value.toLocaleString("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: value > 0 && value < 0.01 ? 4 : 2,
  });
const count = (value: number) => value.toLocaleString("en-US");
const monthName = (month: string) =>
  new Date(`${month}-01T12:00:00Z`).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

function TotalsCells({ totals }: { totals: UsageTotals }) {
  return (
    <>
      <td className="px-3 py-2 text-right tabular-nums">{count(totals.calls)}</td>
      <td className="px-3 py-2 text-right tabular-nums">{count(totals.promptTokens)}</td>
      <td className="px-3 py-2 text-right tabular-nums">{count(totals.cachedTokens)}</td>
      <td className="px-3 py-2 text-right tabular-nums">{count(totals.completionTokens)}</td>
      <td className="px-3 py-2 text-right tabular-nums">{usd(totals.costUsd)}</td>
    </>
  );
}

const TOTALS_HEAD = ["Calls", "Prompt tokens", "Cached tokens", "Completion tokens", "Cost"];

/** A month's totals, one row per feature or model. */
function TotalsTable({
  id,
  title,
  first,
  empty,
  rows,
}: {
  id: string;
  title: string;
  first: string;
  empty: string;
  rows: { key: string; label: ReactNode; totals: UsageTotals }[];
}) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-zinc-200 bg-white p-5 text-sm">
      <h2 id={id} className="mb-3 text-sm font-semibold">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="text-zinc-600">{empty}</p>
      ) : (
        <table className="w-full" aria-labelledby={id}>
          <thead className="text-left text-xs text-zinc-600">
            <tr>
              <th className="px-3 py-2 font-medium">{first}</th>
              {TOTALS_HEAD.map((h) => (
                <th key={h} className="px-3 py-2 text-right font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  {row.label}
                </th>
                <TotalsCells totals={row.totals} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * What the workspace's AI use cost in a month: per day as a chart, per feature and per model
 * as tables, against the monthly budget. Everyone who reads analytics sees it (reps run
 * enrichment, so they see what it spends); the ledger's RLS lets nobody else read it.
 */
export default async function AiUsagePage({ searchParams }: Props) {
  const session = await requirePageSession("analytics.read");
  const workspaceId = session.current.workspaceId;
  const asked = (await searchParams).month;
  const { report, settings } = await withUserTx(session.claims, async (tx) => ({
    report: await aiUsageReport(tx, { workspaceId, month: typeof asked === "string" ? asked : undefined }),
    settings: await getAiSettings(tx, { workspaceId }),
  }));
  const range = report.range;
  const features = report.byFeature.map((f) => f.feature);
  const spentDays = report.days.filter((d) => d.calls > 0);
  const summary =
    report.total.calls === 0
      ? `No AI calls in ${monthName(report.month)}.`
      : `${usd(report.total.costUsd)} over ${count(report.total.calls)} calls on ${spentDays.length} days: ${report.byFeature
          .map((f) => `${AI_FEATURE_LABELS[f.feature]} ${usd(f.costUsd)}`)
          .join(", ")}.`;

  return (
    <div className="max-w-5xl space-y-6">
      {range.notice && (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="ai-usage-notice">
          {range.notice}
        </p>
      )}
      <section aria-labelledby="ai-usage-title" className="rounded-lg border border-zinc-200 bg-white p-5 text-sm">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
          <h2 id="ai-usage-title" className="text-sm font-semibold">
            AI spend in {monthName(report.month)}
          </h2>
          <nav aria-label="Month" className="flex gap-3">
            {range.previous && (
              <Link className="text-blue-700 underline" href={`/settings/ai-usage?month=${range.previous}`}>
                ← {monthName(range.previous)}
              </Link>
            )}
            {range.next && (
              <Link className="text-blue-700 underline" href={`/settings/ai-usage?month=${range.next}`}>
                {monthName(range.next)} →
              </Link>
            )}
          </nav>
        </div>
        <p data-testid="ai-usage-total">
          {usd(report.total.costUsd)} spent
          {settings.monthlyBudgetUsd === null ? ", no monthly budget set" : ` of the ${usd(settings.monthlyBudgetUsd)} monthly budget`}.
          Days are counted in the workspace&apos;s time zone ({report.timeZone}), as the budget is.
        </p>
        <div className="mt-4">
          <UsageChart days={report.days} features={features} summary={summary} />
        </div>
      </section>

      <TotalsTable
        id="ai-usage-features"
        title="By feature"
        first="Feature"
        empty="No feature was used this month."
        rows={report.byFeature.map((f) => ({ key: f.feature, label: AI_FEATURE_LABELS[f.feature], totals: f }))}
      />
      <TotalsTable
        id="ai-usage-models"
        title="By model"
        first="Model"
        empty="No model was called this month."
        rows={report.byModel.map((m) => ({ key: m.model, label: <code className="break-all">{m.model}</code>, totals: m }))}
      />

      <section aria-labelledby="ai-usage-days" className="rounded-lg border border-zinc-200 bg-white p-5 text-sm">
        <h2 id="ai-usage-days" className="mb-3 text-sm font-semibold">
          By day
        </h2>
        {spentDays.length === 0 ? (
          <p className="text-zinc-600">Nothing was spent this month.</p>
        ) : (
          <table className="w-full" aria-labelledby="ai-usage-days" data-testid="ai-usage-days">
            <thead className="text-left text-xs text-zinc-600">
              <tr>
                <th className="px-3 py-2 font-medium">Day</th>
                {features.map((f) => (
                  <th key={f} className="px-3 py-2 text-right font-medium">
                    {AI_FEATURE_LABELS[f]}
                  </th>
                ))}
                <th className="px-3 py-2 text-right font-medium">Calls</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {spentDays.map((d) => (
                <tr key={d.day}>
                  <th scope="row" className="px-3 py-2 text-left font-normal tabular-nums">
                    {d.day}
                  </th>
                  {features.map((f) => (
                    <td key={f} className="px-3 py-2 text-right tabular-nums">
                      {usd(d.costUsd[f])}
                    </td>
                  ))}
                  <td className="px-3 py-2 text-right tabular-nums">{count(d.calls)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
