import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { requirePageSession } from "@/app/_server/session";
import { headlineSampleLines, SampleDataInFiguresNotice } from "@/components/analytics/sample-data-notice";
import { SampleImportMark } from "@/components/integrations/sample-data";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { getDashboard, RECENT_DAYS } from "@/lib/dashboard/get-dashboard";
import { rateOf } from "@/lib/analytics/stages";
import { HeadlineFigures } from "@/components/ui/headline-figures";

export const metadata: Metadata = { title: "Home" };

function Panel({ title, testId, empty, children }: { title: string; testId: string; empty: string; children: ReactNode[] }) {
  const id = `home-${testId}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-zinc-200 bg-white" data-testid={id}>
      <h2 id={id} className="border-b border-zinc-100 px-4 py-3 text-sm font-semibold text-zinc-900">
        {title}
      </h2>
      {children.length === 0 ? (
        <p className="px-4 py-4 text-sm text-zinc-500">{empty}</p>
      ) : (
        <ul className="divide-y divide-zinc-100">{children}</ul>
      )}
    </section>
  );
}

const rowClass = "flex items-center justify-between gap-3 px-4 py-2.5 text-sm";
const linkClass = "font-medium text-accent-700 hover:underline";

/** Home: what needs the user's attention now, and a few numbers of the last week. */
export default async function HomePage() {
  const session = await requirePageSession();
  const current = session.current;
  const d = await getDashboard({ claims: session.claims, workspaceId: current.workspaceId, userId: session.userId, role: current.role });
  return (
    <>
      <PageHeader title="Home" description={`What needs your attention in ${current.workspaceName}.`} />
      <div className="space-y-4 p-6">
        {d.headline ? (
          <HeadlineFigures
            className={d.headline.leadsOwned === null ? "md:grid-cols-3" : "md:grid-cols-4"}
            testId="home-headline"
            figures={[
              ...(d.headline.leadsOwned === null ? [] : [{ label: "Leads you own", value: d.headline.leadsOwned.toLocaleString("en") }]),
              { label: `Emails sent, last ${RECENT_DAYS} days`, value: d.headline.sent.toLocaleString("en") },
              { label: "Reply rate", value: rateOf(d.headline.replied, d.headline.sent) },
              { label: `Meetings, last ${RECENT_DAYS} days`, value: d.headline.meetings.toLocaleString("en") },
            ]}
          />
        ) : null}
        {d.headline ? (
          <SampleDataInFiguresNotice sampleData={{ lines: headlineSampleLines(d.headline.sample) }} where="These numbers" />
        ) : null}
        <div className="grid gap-4 lg:grid-cols-2">
          {d.awaitingApproval ? (
            <Panel title="Campaigns awaiting your approval" testId="approvals" empty="No campaign is waiting for approval.">
              {d.awaitingApproval.map((c) => (
                <li key={c.id} className={rowClass}>
                  <Link href={`/campaigns/${c.id}`} className={linkClass}>
                    {c.name}
                  </Link>
                  {c.submittedAt ? (
                    <span className="text-xs text-zinc-500">
                      Submitted <LocalTime value={c.submittedAt} withTime />
                    </span>
                  ) : null}
                </li>
              ))}
            </Panel>
          ) : null}
          <Panel title="Campaigns paused by the bounce breaker" testId="paused" empty="No campaign was paused for bounces or complaints.">
            {d.autoPaused.map((c) => (
              <li key={c.id} className={rowClass}>
                <span className="min-w-0">
                  <Link href={`/campaigns/${c.id}`} className={linkClass}>
                    {c.name}
                  </Link>
                  {c.reason ? <span className="block truncate text-xs text-zinc-600">{c.reason}</span> : null}
                </span>
                <Badge tone="red">Paused</Badge>
              </li>
            ))}
          </Panel>
          {d.newReplies ? (
            <Panel title={`New replies to your leads, last ${RECENT_DAYS} days`} testId="replies" empty="No new reply to a lead of yours.">
              {d.newReplies.map((r) => (
                <li key={`${r.leadId}-${r.receivedAt}`} className={rowClass}>
                  <span className="min-w-0">
                    <Link href={`/leads/${r.leadId}`} className={linkClass}>
                      {r.leadName}
                    </Link>
                    {r.subject ? <span className="block truncate text-xs text-zinc-600">{r.subject}</span> : null}
                  </span>
                  <span className="shrink-0 text-xs text-zinc-500">
                    <LocalTime value={r.receivedAt} withTime />
                  </span>
                </li>
              ))}
            </Panel>
          ) : null}
          {d.imports ? (
            <Panel title="Imports running or just finished" testId="imports" empty="No import is running or finished this week.">
              {d.imports.map((i) => (
                <li key={i.id} className={rowClass}>
                  <span className="flex min-w-0 items-center gap-1">
                    <Link href={`/imports/${i.id}`} className={`${linkClass} min-w-0 truncate`}>
                      {i.fileName}
                    </Link>
                    {i.sandbox ? <SampleImportMark /> : null}
                  </span>
                  <span className="shrink-0 text-xs text-zinc-600">
                    {i.finishedAt ? (
                      <>
                        {i.status === "completed" ? `${i.inserted.toLocaleString("en")} added` : i.status} ·{" "}
                        <LocalTime value={i.finishedAt} withTime />
                      </>
                    ) : (
                      `${i.status}: ${i.processed.toLocaleString("en")} of ${i.total.toLocaleString("en")} rows`
                    )}
                  </span>
                </li>
              ))}
            </Panel>
          ) : null}
        </div>
      </div>
    </>
  );
}
