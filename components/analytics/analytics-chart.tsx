"use client";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

type ChartRow = Record<string, string | number> | (string | number)[];
/** A series by its field in the data: a name, or a column's index when the data are a table's rows. */
export type ChartSeries = { key: string | number; label: string; color: string };
type Props = {
  kind: "bar" | "line" | "stacked-area";
  /**
   * Objects, or the rows of the table under the chart as they are: the page then sends those
   * rows once (React's payload writes an array passed to two components a single time).
   */
  data: ChartRow[];
  xKey: string | number;
  series: ChartSeries[];
  /** What the picture says, for screen readers (the table below carries every number). */
  summary: string;
  testId?: string;
};

const axisTick = { fontSize: 12, fill: "#52525b" };

/**
 * One chart of the analytics page. A picture for the eye: the table under it carries the same
 * numbers for screen readers (hence role img and a summary), and the tooltip writes in the text
 * colour because the series colours are too light for text on white.
 */
export function AnalyticsChart({ kind, data, xKey, series, summary, testId }: Props) {
  const common = { data, margin: { top: 8, right: 8, bottom: 0, left: -16 }, accessibilityLayer: false };
  const grid = <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e4e7" />;
  const xAxis = (
    <XAxis
      dataKey={xKey}
      tick={axisTick}
      tickLine={false}
      axisLine={{ stroke: "#d4d4d8" }}
      minTickGap={12}
      tickFormatter={(v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? String(v).slice(5) : String(v))}
    />
  );
  const yAxis = <YAxis allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} />;
  const tooltip = (
    <Tooltip contentStyle={{ fontSize: 12, borderRadius: 6 }} itemStyle={{ color: "#18181b" }} labelStyle={{ color: "#18181b" }} />
  );
  // In the series' own order (the funnel's stages, the statuses' path), not recharts' alphabetical default.
  const legend = (
    <Legend
      wrapperStyle={{ fontSize: 12 }}
      itemSorter={(item) => series.findIndex((s) => s.key === item.dataKey)}
      formatter={(label) => <span style={{ color: "#3f3f46" }}>{label}</span>}
    />
  );
  return (
    <div role="img" aria-label={summary} className="h-64 w-full" data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        {kind === "bar" ? (
          <BarChart {...common}>
            {grid}
            {xAxis}
            {yAxis}
            {tooltip}
            {legend}
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} radius={[2, 2, 0, 0]} isAnimationActive={false} />
            ))}
          </BarChart>
        ) : kind === "line" ? (
          <LineChart {...common}>
            {grid}
            {xAxis}
            {yAxis}
            {tooltip}
            {legend}
            {series.map((s) => (
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
        ) : (
          <AreaChart {...common}>
            {grid}
            {xAxis}
            {yAxis}
            {tooltip}
            {legend}
            {series.map((s) => (
              <Area
                key={s.key}
                type="monotone"
                dataKey={s.key}
                name={s.label}
                stackId="1"
                stroke={s.color}
                fill={s.color}
                fillOpacity={0.5}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
