"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { FUNNEL_STAGES, type FunnelRow } from "@/lib/campaigns/stats/funnel-stages";
import { STAGE_COLORS } from "@/components/analytics/stage-colors";
import { FUNNEL_STAGE_LABELS } from "./funnel-stage-labels";

/**
 * The funnel as bars: one group per step and variant, one bar per stage. A picture for the eye;
 * the table below it carries the same numbers for screen readers (hence role img and a summary).
 */
export function FunnelChart({ rows }: { rows: FunnelRow[] }) {
  // Bars of nothing draw an empty grid that reads as a chart that failed to load.
  if (!rows.some((r) => r.sent > 0)) {
    return (
      <p className="rounded-md bg-zinc-50 px-3 py-6 text-center text-sm text-zinc-600" data-testid="funnel-chart-empty">
        No emails sent yet. The funnel fills in as the first step goes out.
      </p>
    );
  }
  const data = rows.map((r) => ({ ...r, name: `Step ${r.stepPosition} · ${r.variantLabel}` }));
  const summary = rows
    .map(
      (r) =>
        `Step ${r.stepPosition} variant ${r.variantLabel}: ${r.sent} sent, ${r.delivered} delivered, ${r.opened} opened, ${r.replied} replied`,
    )
    .join("; ");
  return (
    <div role="img" aria-label={`Funnel chart. ${summary}`} className="h-64 w-full" data-testid="funnel-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e4e7" />
          <XAxis dataKey="name" tick={{ fontSize: 12, fill: "#52525b" }} tickLine={false} axisLine={{ stroke: "#d4d4d8" }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#52525b" }} tickLine={false} axisLine={false} />
          {/* The series colours are too light for text on white (WCAG 1.4.3): the tooltip writes in the text colour. */}
          <Tooltip
            cursor={{ fill: "#f4f4f5" }}
            contentStyle={{ fontSize: 12, borderRadius: 6 }}
            itemStyle={{ color: "#18181b" }}
            labelStyle={{ color: "#18181b" }}
          />
          <Legend
            wrapperStyle={{ fontSize: 12 }}
            itemSorter={null}
            // The swatch carries the series colour; the words stay in the text colour, readable.
            formatter={(label) => <span style={{ color: "#3f3f46" }}>{label}</span>}
          />
          {FUNNEL_STAGES.map((stage) => (
            <Bar key={stage} dataKey={stage} name={FUNNEL_STAGE_LABELS[stage]} fill={STAGE_COLORS[stage]} radius={[2, 2, 0, 0]} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
