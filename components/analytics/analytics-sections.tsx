import { LEAD_STATUSES } from "@/db/schema/lead-enums";
import type { AnalyticsReport } from "@/lib/analytics/get-analytics";
import { headlineOf } from "@/lib/analytics/headline";
import { MAX_DAILY_DAYS, PERIOD_NOUNS, periodLabel } from "@/lib/analytics/periods";
import { rangeSearchParams } from "@/lib/analytics/range";
import { reportTable, sourceLabel, statusLabel, type ReportTableId } from "@/lib/analytics/report-tables";
import { MIN_EXPECTED } from "@/lib/analytics/significance";
import { HeadlineFigures } from "@/components/ui/headline-figures";
import { rateOf, STAGE_LABELS } from "@/lib/analytics/stages";
import { AnalyticsChart, type ChartSeries } from "./analytics-chart";
import { STAGE_COLORS } from "./stage-colors";
import { ReportSection } from "./report-table-view";
import { PAGE_WORKSPACE_PARAM } from "@/lib/auth/page-workspace";

const STATUS_COLORS: Record<string, string> = {
  new: "#93c5fd",
  contacted: "#2563eb",
  replied: "#059669",
  // Three greens (replied, interested, meeting) could not be told apart in the legend.
  interested: "#db2777",
  meeting: "#854d0e",
  won: "#ca8a04",
  lost: "#a1a1aa",
  unsubscribed: "#71717a",
  bounced: "#dc2626",
};
/** What the funnel chart draws of each row (the table has every stage). */
const FUNNEL_CHART_STAGES = ["sent", "delivered", "opened", "clicked", "replied", "meeting", "bounced"] as const;
const stage = (key: keyof typeof STAGE_COLORS): ChartSeries => ({
  key,
  label: STAGE_LABELS[key as keyof typeof STAGE_LABELS] ?? key,
  color: STAGE_COLORS[key],
});

export function AnalyticsSections({
  report,
  canExport,
  workspaceId,
}: {
  report: AnalyticsReport;
  canExport: boolean;
  workspaceId: string;
}) {
  // The page's workspace goes with the link: after a switch in another tab, the export is refused (lib/auth/page-workspace.ts).
  const query = new URLSearchParams([...rangeSearchParams(report.range), [PAGE_WORKSPACE_PARAM, workspaceId]]);
  const exportHref = (id: ReportTableId) => (canExport ? `/api/analytics/export?table=${id}&${query.toString()}` : null);
  const table = (id: ReportTableId) => reportTable(report, id);
  const totals = headlineOf(report.funnel);
  const { granularity } = report;
  const period = PERIOD_NOUNS[granularity];
  // The series charts draw their table's rows (the period as the table names it in column 0, a
  // month as YYYY-MM), so each series reaches the browser once.
  const daily = table("daily");
  const pipeline = table("pipeline");
  const periodNote =
    granularity === "day"
      ? undefined
      : granularity === "week"
        ? `Over ${report.range.from} to ${report.range.to}, by week (Monday to Sunday in ${report.range.timeZone}; ranges over ${MAX_DAILY_DAYS} days are shown by week, over a year by month). A week is named by its first day in the range: the first and last weeks may be shorter.`
        : `Over ${report.range.from} to ${report.range.to}, by calendar month in ${report.range.timeZone} (ranges over a year are shown by month). The first and last months count only the range's days.`;
  const funnelData = report.funnel.map((r) => ({
    name: `${r.campaignName} · ${r.stepPosition}${r.variantLabel}`,
    ...Object.fromEntries(FUNNEL_CHART_STAGES.map((s) => [s, r[s]])),
  }));
  const headline = [
    { label: "Emails sent", value: totals.sent.toLocaleString("en") },
    { label: "Reply rate", value: rateOf(totals.replied, totals.sent) },
    { label: "Meetings", value: totals.meeting.toLocaleString("en") },
    { label: "Bounce rate", value: rateOf(totals.bounced, totals.sent) },
    { label: "Complaint rate", value: rateOf(totals.complained, totals.sent) },
  ];
  return (
    <>
      <HeadlineFigures figures={headline} className="md:grid-cols-5" testId="analytics-headline" />

      <ReportSection
        table={table("funnel")}
        exportHref={exportHref("funnel")}
        empty="No campaign email was sent, opened or answered in this range. Widen the range or clear a filter."
        chart={
          <AnalyticsChart
            kind="bar"
            data={funnelData}
            xKey="name"
            series={FUNNEL_CHART_STAGES.map(stage)}
            summary={`Funnel chart of ${report.funnel.length} campaign steps and variants: ${totals.sent} sent, ${totals.delivered} delivered, ${totals.opened} opened, ${totals.clicked} clicked, ${totals.replied} replied, ${totals.meeting} meetings, ${totals.bounced} bounced. The table below has each one's figures.`}
            testId="analytics-funnel-chart"
          />
        }
        note={
          <>
            Each stage counts an email once, when it first happened within the range. Interested and meetings count each lead once, when its
            status was set, on the last email it answered or, when it answered none (a rep set the status after a call), on the last one
            sent to it; the per-rep meetings are the same counts. A lead no campaign emailed is in the pipeline only. A variant is marked
            the winner only when its reply rate beats every other variant of its step in a two-sided two-proportion z-test at p &lt; 0.05
            (divided by the number of comparisons when a step has more than two variants), and only with at least {MIN_EXPECTED} replies and{" "}
            {MIN_EXPECTED} non-replies expected per variant.
          </>
        }
      />

      <ReportSection
        table={daily}
        exportHref={exportHref("daily")}
        empty="No day in this range."
        note={periodNote}
        chart={
          <AnalyticsChart
            kind="line"
            data={daily.rows}
            xKey={0}
            series={(["sent", "replied", "bounced", "complained"] as const).map((s, i) => ({ ...stage(s), key: 1 + i }))}
            summary={`Chart of ${report.daily.length} ${period}s: ${totals.sent} sent, ${totals.replied} replied, ${totals.bounced} bounced, ${totals.complained} complaints.`}
            testId="analytics-daily-chart"
          />
        }
      />

      <ReportSection
        table={pipeline}
        exportHref={exportHref("pipeline")}
        empty="No day in this range."
        note={
          periodNote
            ? `Campaign and mailbox filters do not apply to leads; owner and source do. Each ${period}'s leads as they stood at its end.`
            : "Campaign and mailbox filters do not apply to leads; owner and source do."
        }
        chart={
          <AnalyticsChart
            kind="stacked-area"
            data={pipeline.rows}
            xKey={0}
            series={LEAD_STATUSES.map((s, i) => ({ key: 1 + i, label: statusLabel(s), color: STATUS_COLORS[s]! }))}
            summary={`Leads by status at the end of ${report.range.to}: ${LEAD_STATUSES.map((s) => `${report.pipeline.at(-1)?.[s] ?? 0} ${statusLabel(s).toLowerCase()}`).join(", ")}.`}
            testId="analytics-pipeline-chart"
          />
        }
      />

      <div className="grid gap-4 xl:grid-cols-2">
        <ReportSection
          table={table("reps")}
          exportHref={exportHref("reps")}
          empty="No lead is owned and no email went out in this range."
          note="Leads owned and won as they stood at the end of the range; emails by the rep who owned the lead when it was emailed."
        />
        <ReportSection
          table={table("identities")}
          exportHref={exportHref("identities")}
          empty="No sending mailbox yet. Add one under Settings → Sending."
          note="Busiest day and days at cap count the mailbox's own days (its time zone)."
        />
      </div>

      <ReportSection
        table={table("sources")}
        exportHref={exportHref("sources")}
        empty="No source to show."
        chart={
          <AnalyticsChart
            kind="bar"
            data={report.sources.map((s) => ({ source: sourceLabel(s.source), leadsCreated: s.leadsCreated, replied: s.replied }))}
            xKey="source"
            series={[
              { key: "leadsCreated", label: "Leads added", color: "#2563eb" },
              { key: "replied", label: "Replies", color: "#059669" },
            ]}
            summary={`Leads and replies by source: ${report.sources.map((s) => `${s.source} ${s.leadsCreated} leads, ${s.replied} replies`).join("; ")}.`}
            testId="analytics-sources-chart"
          />
        }
      />

      <ReportSection
        table={table("instantly")}
        exportHref={exportHref("instantly")}
        empty="No Instantly analytics synced for this range. Campaigns launched through Instantly report here after the hourly sync."
        note="As Instantly reports them (unique counts where it gives them), for the days Instantly counts in its own zone. Whole campaigns: the campaign filter applies, the owner, identity and source filters do not (Instantly does not report by them)."
      />
    </>
  );
}
