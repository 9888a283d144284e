"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { InstantlyCampaignDay } from "@/lib/integrations/instantly/synced-campaigns";

const SERIES = [
  { key: "sent", label: "Sent", color: "#2563eb" },
  { key: "uniqueOpened", label: "Unique opens", color: "#d97706" },
  { key: "replies", label: "Replies", color: "#059669" },
  { key: "clicks", label: "Clicks", color: "#7c3aed" },
] as const;

/**
 * An Instantly campaign's days as lines. A picture for the eye: the table beside it carries
 * the same numbers for screen readers (hence role img and a short summary).
 */
export function DailyAnalyticsChart({ days }: { days: InstantlyCampaignDay[] }) {
  const total = (key: (typeof SERIES)[number]["key"]) => days.reduce((sum, d) => sum + d[key], 0);
  const summary =
    days.length === 0
      ? "No days yet."
      : `${days.length} days from ${days[0]!.day} to ${days.at(-1)!.day}: ${SERIES.map((s) => `${total(s.key)} ${s.label.toLowerCase()}`).join(", ")}.`;
  return (
    <div role="img" aria-label={`Daily analytics chart. ${summary}`} className="h-72 w-full" data-testid="instantly-daily-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e4e7" />
          <XAxis
            dataKey="day"
            tickFormatter={(day: string) => day.slice(5)}
            tick={{ fontSize: 12, fill: "#52525b" }}
            tickLine={false}
            axisLine={{ stroke: "#d4d4d8" }}
            minTickGap={16}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#52525b" }} tickLine={false} axisLine={false} />
          <Tooltip contentStyle={{ fontSize: 12, borderRadius: 6 }} itemStyle={{ color: "#18181b" }} labelStyle={{ color: "#18181b" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(label) => <span style={{ color: "#3f3f46" }}>{label}</span>} />
          {SERIES.map((s) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={s.color}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
