"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AiFeature } from "@/lib/ai/settings-schema";
import { AI_FEATURE_LABELS } from "@/lib/ai/feature-labels";

const COLORS: Record<AiFeature, string> = { enrichment: "#2563eb", reply_classification: "#059669" };

const dollars = (value: number) => `$${value < 1 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;

/**
 * A month's AI spend as stacked bars, one per day, one colour per feature. A picture for the
 * eye: the table beside it carries the same numbers for screen readers (hence role img).
 */
export function UsageChart({
  days,
  features,
  summary,
}: {
  days: { day: string; costUsd: Record<AiFeature, number> }[];
  features: AiFeature[];
  summary: string;
}) {
  const data = days.map((d) => ({ day: d.day, ...d.costUsd }));
  return (
    <div role="img" aria-label={`Spend per day chart. ${summary}`} className="h-64 w-full" data-testid="ai-usage-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e4e7" />
          <XAxis
            dataKey="day"
            tickFormatter={(day: string) => day.slice(8)}
            tick={{ fontSize: 12, fill: "#52525b" }}
            tickLine={false}
            axisLine={{ stroke: "#d4d4d8" }}
            minTickGap={8}
          />
          <YAxis tickFormatter={dollars} tick={{ fontSize: 12, fill: "#52525b" }} tickLine={false} axisLine={false} width={64} />
          <Tooltip
            cursor={{ fill: "#f4f4f5" }}
            formatter={(value) => dollars(Number(value))}
            contentStyle={{ fontSize: 12, borderRadius: 6 }}
            itemStyle={{ color: "#18181b" }}
            labelStyle={{ color: "#18181b" }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(label) => <span style={{ color: "#3f3f46" }}>{label}</span>} />
          {features.map((feature) => (
            <Bar
              key={feature}
              dataKey={feature}
              name={AI_FEATURE_LABELS[feature]}
              stackId="spend"
              fill={COLORS[feature]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
