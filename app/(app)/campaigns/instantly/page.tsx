import { Send } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { InstantlySampleDataNotice } from "@/components/integrations/instantly/sample-data-notice";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import { instantlyCampaignStatusLabel, listSyncedInstantlyCampaigns } from "@/lib/integrations/instantly/synced-campaigns";

export const metadata: Metadata = { title: "Instantly campaigns" };

const fmt = new Intl.NumberFormat("en");

/** The campaigns the Instantly sync stored, each linking to its page with the daily analytics. */
export default async function InstantlyCampaignsPage() {
  const session = await requirePageSession("workspace.read");
  const { workspaceId, role } = session.current;
  const rows = await withUserTx(session.claims, (tx) => listSyncedInstantlyCampaigns(tx, { workspaceId }));
  return (
    <>
      <PageHeader
        title="Instantly campaigns"
        description="Campaigns synced from Instantly every hour, with their daily analytics."
        actions={
          <Link href="/campaigns" className="text-sm text-accent-700 hover:underline">
            Our campaigns
          </Link>
        }
      />
      <div className="space-y-4 p-6">
        {rows.some((r) => r.sampleData) ? <InstantlySampleDataNotice /> : null}
        {rows.length === 0 ? (
          <EmptyState icon={Send} title="No Instantly campaigns synced yet">
            {can(role, "integrations.manage") ? (
              <>
                Connect Instantly (or its sandbox) in{" "}
                <Link href="/settings/integrations" className="text-accent-700 underline">
                  Settings → Integrations
                </Link>{" "}
                and choose “Sync now”.
              </>
            ) : (
              "An admin can connect Instantly in Settings → Integrations; its campaigns appear here after the first sync."
            )}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Instantly campaigns with their totals over the synced days</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Days
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Sent
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Unique opens
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Replies
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Synced
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {rows.map((row) => (
                  <tr key={row.instantlyId} className="hover:bg-zinc-50">
                    <td className="px-3 py-2 font-medium">
                      <Link
                        href={`/campaigns/instantly/${encodeURIComponent(row.instantlyId)}`}
                        className="text-accent-700 hover:underline"
                      >
                        {row.name}
                      </Link>{" "}
                      {row.sampleData ? <Badge tone="amber">Sample data</Badge> : null}
                    </td>
                    <td className="px-3 py-2 text-zinc-700">{instantlyCampaignStatusLabel(row.status)}</td>
                    <td className="px-3 py-2 text-right text-zinc-700 tabular-nums">{row.days}</td>
                    <td className="px-3 py-2 text-right text-zinc-700 tabular-nums">{fmt.format(row.sent)}</td>
                    <td className="px-3 py-2 text-right text-zinc-700 tabular-nums">{fmt.format(row.uniqueOpened)}</td>
                    <td className="px-3 py-2 text-right text-zinc-700 tabular-nums">{fmt.format(row.replies)}</td>
                    <td className="px-3 py-2 text-zinc-600">
                      <LocalTime value={row.fetchedAt} withTime />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
