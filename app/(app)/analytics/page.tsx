import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { AnalyticsFilters } from "@/components/analytics/analytics-filters";
import { AnalyticsSections } from "@/components/analytics/analytics-sections";
import { SampleDataInFiguresNotice } from "@/components/analytics/sample-data-notice";
import { PageHeader } from "@/components/ui/page-header";
import { LEAD_SOURCES } from "@/db/schema/lead-enums";
import { getAnalytics } from "@/lib/analytics/get-analytics";
import { sourceLabel } from "@/lib/analytics/report-tables";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Analytics" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * What works, at a glance: the funnel per campaign, step and variant, the daily series, the
 * pipeline, reps, mailboxes, sources and Instantly's own figures, for a range of days in the
 * viewer's zone, read from the rollups (never from the raw events). Analysts and up.
 */
export default async function AnalyticsPage({ searchParams }: Props) {
  const session = await requirePageSession("analytics.read");
  const params = await searchParams;
  const report = await getAnalytics(
    { claims: session.claims, workspaceId: session.current.workspaceId, role: session.current.role },
    params,
  );
  const { range } = report;
  return (
    <>
      <PageHeader title="Analytics" description={`Outreach from ${range.from} to ${range.to}, days in ${range.timeZone}.`} />
      <div className="space-y-4 p-6">
        <AnalyticsFilters
          from={range.from}
          to={range.to}
          timeZone={range.timeZone}
          filters={range.filters}
          campaigns={report.options.campaigns}
          owners={report.options.owners}
          identities={report.options.identities.map((i) => ({ id: i.id, name: i.label }))}
          sources={LEAD_SOURCES.map((s) => ({ id: s, name: sourceLabel(s) }))}
        />
        {range.notices.length > 0 ? (
          <div
            role="status"
            className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
            data-testid="range-notices"
          >
            <p className="font-medium">The range was corrected:</p>
            <ul className="mt-1 list-disc pl-5">
              {range.notices.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <SampleDataInFiguresNotice
          sampleData={report.sampleData}
          instantlyShown={report.instantly.length > 0}
          where={`The figures from ${range.from} to ${range.to}`}
        />
        <AnalyticsSections report={report} canExport={can(session.current.role, "data.export")} workspaceId={session.current.workspaceId} />
      </div>
    </>
  );
}
