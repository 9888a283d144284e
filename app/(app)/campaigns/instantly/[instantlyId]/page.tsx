import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { DailyAnalyticsChart } from "@/components/integrations/instantly/daily-analytics-chart";
import { InstantlySampleDataNotice } from "@/components/integrations/instantly/sample-data-notice";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import {
  getSyncedInstantlyCampaign,
  instantlyCampaignStatusLabel,
  launchedFromHere,
  type LaunchedFromHere,
} from "@/lib/integrations/instantly/synced-campaigns";

export const metadata: Metadata = { title: "Instantly campaign" };

type Props = { params: Promise<{ instantlyId: string }> };

const fmt = new Intl.NumberFormat("en");
const COLUMNS = [
  ["sent", "Sent"],
  ["newLeadsContacted", "New leads"],
  ["uniqueOpened", "Unique opens"],
  ["replies", "Replies"],
  ["clicks", "Clicks"],
  ["opportunities", "Opportunities"],
] as const;

/** One synced Instantly campaign: its daily analytics as a chart, and the same days as a table beside it. */
export default async function InstantlyCampaignPage({ params }: Props) {
  const session = await requirePageSession("workspace.read");
  const instantlyId = decodeURIComponent((await params).instantlyId);
  if (instantlyId.length < 1 || instantlyId.length > 320) notFound();
  const { workspaceId } = session.current;
  const { found, ours } = await withUserTx(session.claims, async (tx) => ({
    found: await getSyncedInstantlyCampaign(tx, { workspaceId, instantlyId }),
    ours: await launchedFromHere(tx, { workspaceId, instantlyId }),
  }));
  if (!found) notFound();
  const { campaign, days } = found;
  const totals = Object.fromEntries(COLUMNS.map(([key]) => [key, days.reduce((sum, d) => sum + d[key], 0)])) as Record<
    (typeof COLUMNS)[number][0],
    number
  >;
  return (
    <>
      <PageHeader
        title={campaign.name}
        description={
          <>
            Instantly campaign · {instantlyCampaignStatusLabel(campaign.status)} · synced <LocalTime value={campaign.fetchedAt} withTime />
          </>
        }
        actions={
          <>
            {campaign.sampleData ? <Badge tone="amber">Sample data</Badge> : null}
            <Link href="/campaigns/instantly" className="text-sm text-accent-700 hover:underline">
              All Instantly campaigns
            </Link>
          </>
        }
      />
      <div className="space-y-4 p-6">
        {campaign.sampleData ? <InstantlySampleDataNotice /> : null}
        {ours ? <OurCampaign ours={ours} /> : null}
        <dl aria-label="Totals over the synced days" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          {COLUMNS.map(([key, label]) => (
            <div key={key} className="rounded-lg border border-zinc-200 bg-white px-3 py-2">
              <dt className="text-xs text-zinc-500">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums">{fmt.format(totals[key])}</dd>
            </div>
          ))}
        </dl>
        {days.length === 0 ? (
          <p role="status" className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-600">
            Instantly has reported no sending day for this campaign yet (a draft sends nothing).
          </p>
        ) : (
          <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
            <section aria-labelledby="chart-heading" className="rounded-lg border border-zinc-200 bg-white p-4">
              <h2 id="chart-heading" className="mb-2 text-sm font-semibold">
                Daily analytics
              </h2>
              <DailyAnalyticsChart days={days} />
            </section>
            <section aria-labelledby="table-heading" className="rounded-lg border border-zinc-200 bg-white">
              <h2 id="table-heading" className="px-4 pt-3 text-sm font-semibold">
                Day by day
              </h2>
              <div className="max-h-96 overflow-auto" tabIndex={0} aria-label="Daily analytics table, scrollable">
                <table className="w-full text-left text-sm">
                  <thead className="sticky top-0 border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-600">
                    <tr>
                      <th scope="col" className="px-3 py-2">
                        Day
                      </th>
                      {COLUMNS.map(([key, label]) => (
                        <th key={key} scope="col" className="px-3 py-2 text-right">
                          {label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-100">
                    {[...days].reverse().map((d) => (
                      <tr key={d.day}>
                        <th scope="row" className="px-3 py-1.5 font-normal whitespace-nowrap text-zinc-700">
                          {d.day}
                        </th>
                        {COLUMNS.map(([key]) => (
                          <td key={key} className="px-3 py-1.5 text-right text-zinc-700 tabular-nums">
                            {fmt.format(d[key])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          </div>
        )}
      </div>
    </>
  );
}

/** The campaign of this app it was launched from: what was pushed, and what came back to our leads. */
function OurCampaign({ ours }: { ours: LaunchedFromHere }) {
  const figures = [
    ["Leads pushed", ours.leadsUploaded],
    ["Skipped or refused by Instantly", ours.leadsSkipped],
    ["Held back (copy could not be written)", ours.leadsBlocked],
    ["Our leads in it", ours.linkedLeads],
    ["Replied", ours.replied],
    ["Bounced", ours.bounced],
    ["Unsubscribed", ours.unsubscribed],
  ] as const;
  return (
    <section aria-labelledby="ours-heading" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm">
      <h2 id="ours-heading" className="mb-1 text-sm font-semibold">
        Launched from this app
      </h2>
      <p className="mb-3 text-zinc-600">
        From the campaign{" "}
        <Link href={`/campaigns/${ours.campaignId}`} className="font-medium text-accent-700 hover:underline">
          {ours.campaignName}
        </Link>
        {ours.activatedAt ? (
          <>
            , activated <LocalTime value={ours.activatedAt} withTime />
          </>
        ) : null}{" "}
        (push {ours.pushStatus}). Replies, bounces and unsubscribes are those the sync and Instantly&apos;s webhooks brought back to our
        leads.
      </p>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7" data-testid="launched-from-here">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-zinc-500">{label}</dt>
            <dd className="text-base font-semibold tabular-nums">{fmt.format(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
