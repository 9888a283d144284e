import Link from "next/link";
import type { ReactNode } from "react";
import { LocalTime } from "@/components/ui/local-time";
import type { CampaignListRow } from "@/lib/campaigns/list-campaigns";
import { audienceLabel } from "./audience-label";
import { CampaignStatusBadge } from "./campaign-status-badge";

/**
 * The campaigns list: one row per campaign, its name linking to the campaign page. `eligible`
 * renders a row's eligible-lead count (the page streams it in; see eligible-leads.tsx).
 */
export function CampaignsTable({ rows, eligible }: { rows: CampaignListRow[]; eligible: (row: CampaignListRow) => ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Name
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2">
              Owner
            </th>
            <th scope="col" className="px-3 py-2">
              Audience
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Eligible leads
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Steps
            </th>
            <th scope="col" className="px-3 py-2">
              Last change
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => (
            <tr key={row.id} className="hover:bg-zinc-50">
              <td className="px-3 py-2 font-medium">
                <Link href={`/campaigns/${row.id}`} className="text-accent-700 hover:underline">
                  {row.name}
                </Link>
              </td>
              <td className="px-3 py-2">
                <CampaignStatusBadge status={row.status} />
              </td>
              <td className="px-3 py-2 text-zinc-700">{row.ownerName ?? "Former member"}</td>
              <td className="px-3 py-2 text-zinc-700">{audienceLabel(row.audience)}</td>
              <td className="px-3 py-2 text-right text-zinc-700 tabular-nums">{eligible(row)}</td>
              <td className="px-3 py-2 text-right text-zinc-700 tabular-nums">{row.steps}</td>
              <td className="px-3 py-2 text-zinc-600">
                <LocalTime value={row.updatedAt} withTime />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
