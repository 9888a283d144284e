import Link from "next/link";
import type { ReactNode } from "react";
import { LocalTime } from "@/components/ui/local-time";
import type { CampaignListRow } from "@/lib/campaigns/list-campaigns";
import { audienceLabel } from "./audience-label";
import { CampaignStatusBadge } from "./campaign-status-badge";

/** What the page streams into a row's figure columns (campaign-list-figures.tsx). */
export type CampaignRowFigures = Record<"leads" | "sent" | "replied" | "bounced", ReactNode>;

const FIGURE_COLUMNS: { key: keyof CampaignRowFigures; label: string }[] = [
  { key: "leads", label: "Leads" },
  { key: "sent", label: "Sent" },
  { key: "replied", label: "Replied" },
  { key: "bounced", label: "Bounced" },
];

/** The campaigns list: one row per campaign, its name linking to the campaign page, with its figures. */
export function CampaignsTable({ rows, figures }: { rows: CampaignListRow[]; figures: (row: CampaignListRow) => CampaignRowFigures }) {
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
            {FIGURE_COLUMNS.map((column) => (
              <th key={column.key} scope="col" className="px-3 py-2 text-right">
                {column.label}
              </th>
            ))}
            <th scope="col" className="px-3 py-2 text-right">
              Steps
            </th>
            <th scope="col" className="px-3 py-2">
              Last change
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => {
            const cells = figures(row);
            return (
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
                {FIGURE_COLUMNS.map((column) => (
                  <td key={column.key} className="px-3 py-2 text-right whitespace-nowrap text-zinc-700 tabular-nums">
                    {cells[column.key]}
                  </td>
                ))}
                <td className="px-3 py-2 text-right text-zinc-700 tabular-nums">{row.steps}</td>
                <td className="px-3 py-2 text-zinc-600">
                  <LocalTime value={row.updatedAt} withTime />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
