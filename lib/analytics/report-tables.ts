import { LEAD_STATUSES } from "@/db/schema/lead-enums";
import type { AnalyticsReport } from "./get-analytics";
import { PERIOD_HEADERS, PERIOD_NOUNS, periodLabel } from "./periods";
import { ANALYTICS_STAGES, rateOf, STAGE_LABELS } from "./stages";

/** One table of the page, exactly as its CSV export has it (one definition for both). */
export type ReportTable = {
  id: ReportTableId;
  title: string;
  columns: { label: string; numeric?: boolean }[];
  rows: (string | number)[][];
};

export const REPORT_TABLE_IDS = ["funnel", "daily", "pipeline", "reps", "identities", "sources", "instantly"] as const;
export type ReportTableId = (typeof REPORT_TABLE_IDS)[number];

const n = (label: string) => ({ label, numeric: true });
const STATUS_LABELS: Record<string, string> = {
  new: "New",
  contacted: "Contacted",
  replied: "Replied",
  interested: "Interested",
  meeting: "Meeting",
  won: "Won",
  lost: "Lost",
  unsubscribed: "Unsubscribed",
  bounced: "Bounced",
};
const SOURCE_LABELS: Record<string, string> = {
  manual: "Manual",
  csv: "CSV",
  apollo: "Apollo",
  phantombuster: "PhantomBuster",
  instantly: "Instantly",
};

export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source] ?? source;
}
export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** What the verdict column says for a step's variant. */
export function verdictText(report: AnalyticsReport, campaignId: string, stepPosition: number, label: string): string {
  const verdict = report.verdicts.find((v) => v.campaignId === campaignId && v.stepPosition === stepPosition)?.verdict;
  if (!verdict) return "";
  switch (verdict.kind) {
    case "winner":
      return verdict.label === label ? `Winner (p = ${verdict.p < 0.001 ? "< 0.001" : verdict.p.toFixed(3)})` : "";
    case "no_difference":
      return `No significant difference (p = ${verdict.p.toFixed(2)})`;
    case "not_enough_data":
      return "Too few emails to tell";
    default:
      return "";
  }
}

export function reportTable(report: AnalyticsReport, id: ReportTableId): ReportTable {
  switch (id) {
    case "funnel":
      return {
        id,
        title: "Funnel per campaign, step and variant",
        columns: [
          { label: "Campaign" },
          n("Step"),
          { label: "Variant" },
          ...ANALYTICS_STAGES.map((s) => n(STAGE_LABELS[s])),
          n("Reply rate"),
          { label: "Verdict" },
        ],
        rows: report.funnel.map((r) => [
          r.campaignName,
          r.stepPosition,
          r.variantLabel,
          ...ANALYTICS_STAGES.map((s) => r[s]),
          rateOf(r.replied, r.sent),
          verdictText(report, r.campaignId, r.stepPosition, r.variantLabel),
        ]),
      };
    // A long range is shown by week or month (lib/analytics/periods.ts): the title and the first column say which.
    case "daily":
      return {
        id,
        title: `Sends, replies, bounces and complaints per ${PERIOD_NOUNS[report.granularity]}`,
        columns: [{ label: PERIOD_HEADERS[report.granularity] }, n("Sent"), n("Replied"), n("Bounced"), n("Complained")],
        rows: report.daily.map((d) => [periodLabel(d.day, report.granularity), d.sent, d.replied, d.bounced, d.complained]),
      };
    case "pipeline":
      return {
        id,
        title: `Leads by status at the end of each ${PERIOD_NOUNS[report.granularity]}`,
        columns: [{ label: PERIOD_HEADERS[report.granularity] }, ...LEAD_STATUSES.map((s) => n(statusLabel(s)))],
        rows: report.pipeline.map((p) => [periodLabel(p.day, report.granularity), ...LEAD_STATUSES.map((s) => p[s])]),
      };
    case "reps":
      return {
        id,
        title: "Per rep",
        columns: [
          { label: "Rep" },
          n("Leads owned"),
          n("Contacted"),
          n("Emails sent"),
          n("Replied"),
          n("Reply rate"),
          n("Meetings"),
          n("Won"),
        ],
        rows: report.reps.map((r) => [r.name, r.owned, r.contacted, r.sent, r.replied, rateOf(r.replied, r.sent), r.meetings, r.won]),
      };
    case "identities":
      return {
        id,
        title: "Per sending mailbox",
        columns: [
          { label: "Mailbox" },
          n("Daily cap"),
          n("Busiest day"),
          n("Days at cap"),
          n("Sent"),
          n("Bounced"),
          n("Bounce rate"),
          n("Complaints"),
          n("Complaint rate"),
        ],
        rows: report.identities.map((i) => [
          i.label,
          i.dailyCap ?? "–",
          i.peakDay,
          i.daysAtCap,
          i.sent,
          i.bounced,
          rateOf(i.bounced, i.sent),
          i.complained,
          rateOf(i.complained, i.sent),
        ]),
      };
    case "sources":
      return {
        id,
        title: "Leads and replies by source",
        columns: [{ label: "Source" }, n("Leads added"), n("Emails sent"), n("Replied"), n("Reply rate")],
        rows: report.sources.map((s) => [sourceLabel(s.source), s.leadsCreated, s.sent, s.replied, rateOf(s.replied, s.sent)]),
      };
    case "instantly":
      return {
        id,
        title: "Instantly's daily analytics",
        columns: [
          { label: "Day" },
          { label: "Campaign" },
          n("Sent"),
          n("Unique opens"),
          n("Unique replies"),
          n("Unique clicks"),
          n("Opportunities"),
        ],
        rows: report.instantly.map((d) => [d.day, d.campaignName, d.sent, d.opened, d.replied, d.clicked, d.opportunities]),
      };
  }
}
