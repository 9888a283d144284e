import { Activity } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { JobsElsewhere } from "@/components/jobs/jobs-elsewhere";
import { LiveRefresh } from "@/components/live/live-refresh";
import { LiveStatusNote } from "@/components/live/live-status";
import { formatDuration, RunStatusBadge } from "@/components/jobs/run-status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { JOB_RUN_STATUSES } from "@/db/schema";
import { describeServices, env } from "@/lib/env";
import { inngestDashboardUrl } from "@/lib/jobs/dashboard-url";
import { decodeJobRunCursor } from "@/lib/jobs/runs/cursor";
import { isInProgress } from "@/lib/jobs/runs/job-run-types";
import { listJobFunctionIds, listJobRuns } from "@/lib/jobs/runs/list-job-runs";
import { JOB_RANGES, ZJobFilters } from "@/lib/jobs/runs/schemas";
import { JobFiltersForm } from "./job-filters-form";

export const metadata: Metadata = { title: "Jobs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function JobsPage({ searchParams }: Props) {
  const session = await requirePageSession("jobs.manage");
  const header = <PageHeader title="Jobs" description="Every background run: imports, syncs, enrichment and sequence steps." />;
  if (describeServices(env()).jobs === "inngest") {
    return (
      <>
        {header}
        <div className="p-6">
          <JobsElsewhere dashboardUrl={inngestDashboardUrl(env())} />
        </div>
      </>
    );
  }

  const parsed = ZJobFilters.parse(await searchParams);
  // A hand-edited or stale cursor is "no cursor": the newest runs, with a word about why.
  const badCursor = !!parsed.cursor && !decodeJobRunCursor(parsed.cursor);
  const filters = badCursor ? { ...parsed, cursor: undefined } : parsed;
  const workspaceId = session.current.workspaceId;
  const from = filters.range === "all" ? undefined : new Date(Date.now() - JOB_RANGES[filters.range]);
  const [page, functionIds] = await withUserTx(session.claims, (tx) =>
    Promise.all([
      listJobRuns(tx, { workspaceId, functionId: filters.function, status: filters.status, from, cursor: filters.cursor }),
      listJobFunctionIds(tx, { workspaceId }),
    ]),
  );
  const running = page.runs.some((r) => isInProgress(r.status));
  const nextParams = new URLSearchParams(
    Object.entries({ ...filters, cursor: page.nextCursor ?? "" }).filter(([, v]) => v) as [string, string][],
  );

  return (
    <>
      {header}
      {/* New runs and each change of status arrive live (polled while live updates are not connected). */}
      <LiveRefresh kinds={["job"]} fallbackMs={running ? 2000 : undefined} />
      <div className="space-y-4 p-6">
        <LiveStatusNote />
        <JobFiltersForm functionIds={functionIds} statuses={JOB_RUN_STATUSES} filters={filters} />
        {badCursor ? (
          <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
            That page link is not valid any more, so the newest runs are shown.
          </p>
        ) : null}
        {page.runs.length === 0 ? (
          <EmptyState
            icon={Activity}
            title={filters.function || filters.status || filters.cursor ? "No runs match these filters" : "No runs yet"}
          >
            Imports, syncs, enrichment and sequences run here as durable jobs, each with its steps, timing and errors.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
            <table className="w-full text-sm">
              <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
                <tr>
                  <th className="px-4 py-2 font-medium">Function</th>
                  <th className="px-4 py-2 font-medium">Trigger</th>
                  <th className="px-4 py-2 font-medium">Status</th>
                  <th className="px-4 py-2 font-medium">Started</th>
                  <th className="px-4 py-2 font-medium">Ended</th>
                  <th className="px-4 py-2 text-right font-medium">Duration</th>
                  <th className="px-4 py-2 text-right font-medium">Attempts</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {page.runs.map((run) => (
                  <tr key={run.id} className="hover:bg-zinc-50">
                    <td className="px-4 py-2 font-medium">
                      <Link href={`/jobs/${run.id}`} className="hover:underline">
                        {run.functionId}
                      </Link>
                      {run.replayOf ? <span className="ml-2 text-xs text-zinc-500">replay</span> : null}
                    </td>
                    <td className="px-4 py-2 font-mono text-xs text-zinc-600">{run.eventName}</td>
                    <td className="px-4 py-2">
                      <RunStatusBadge status={run.status} />
                    </td>
                    <td className="px-4 py-2 text-zinc-600">{run.startedAt ? <LocalTime value={run.startedAt} withTime /> : "—"}</td>
                    <td className="px-4 py-2 text-zinc-600">{run.endedAt ? <LocalTime value={run.endedAt} withTime /> : "—"}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{formatDuration(run.durationMs)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{run.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page.nextCursor ? (
          <Link href={`/jobs?${nextParams}`} className="inline-block text-sm font-medium text-accent-600 hover:underline">
            Older runs →
          </Link>
        ) : null}
      </div>
    </>
  );
}
