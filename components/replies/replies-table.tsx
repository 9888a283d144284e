import { MessageSquare } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { SampleLeadMark } from "@/components/integrations/sample-data";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import type { ReplyListItem } from "@/lib/ai/replies/list-replies";
import { formatReturnDate, REPLY_ACTION_LABELS } from "@/lib/ai/replies/reply-categories";
import { ReplyCategoryBadge } from "./reply-category-badge";

type Props = {
  rows: ReplyListItem[];
  /** The inbox shows each reply's campaign; a campaign's own page does not. */
  showCampaign: boolean;
  label: string;
  empty: { title: string; body: ReactNode };
};

/**
 * Replies newest first: when, from which lead (a link to the lead, where the reply is read in
 * full with its Undo and suggested answer), how it was read and how sure, the campaign and step
 * it answered, and what the reading did. Everything is rendered as text.
 */
export function RepliesTable({ rows, showCampaign, label, empty }: Props) {
  if (rows.length === 0) {
    return (
      <div className="p-6">
        <EmptyState icon={MessageSquare} title={empty.title}>
          {empty.body}
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" aria-label={label}>
        <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Received
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Lead
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Reply
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Read as
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Confidence
            </th>
            {showCampaign ? (
              <th scope="col" className="px-4 py-2 font-medium">
                Campaign
              </th>
            ) : null}
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Step
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              What it did
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => (
            <tr key={row.id} className="align-top hover:bg-zinc-50" data-reply-id={row.id}>
              <td className="px-4 py-2 whitespace-nowrap text-zinc-700">
                <LocalTime value={row.receivedAt} withTime />
              </td>
              <td className="px-4 py-2">
                <Link href={`/leads/${row.leadId}`} className="font-medium text-zinc-900 underline-offset-2 hover:underline">
                  {row.leadName}
                </Link>
                {row.leadSampleData ? (
                  <>
                    {" "}
                    <SampleLeadMark sampleData={row.leadSampleData} source={row.leadSource} />
                  </>
                ) : null}
                {row.leadEmail && row.leadEmail !== row.leadName ? <div className="text-xs text-zinc-500">{row.leadEmail}</div> : null}
              </td>
              <td className="max-w-md px-4 py-2">
                {row.subject ? <div className="truncate text-xs font-medium text-zinc-800">{row.subject}</div> : null}
                <div className="line-clamp-2 break-words text-zinc-700">{row.snippet || "(no text)"}</div>
                {row.source === "instantly" ? <div className="text-xs text-zinc-500">via Instantly</div> : null}
              </td>
              <td className="px-4 py-2">
                <ReplyCategoryBadge state={row.state} category={row.category} />
                {row.returnDate ? <div className="mt-1 text-xs text-zinc-700">Back on {formatReturnDate(row.returnDate)}</div> : null}
              </td>
              <td className="px-4 py-2 text-right text-zinc-700 tabular-nums">
                {row.confidence !== null ? `${Math.round(row.confidence * 100)} %` : "—"}
              </td>
              {showCampaign ? (
                <td className="px-4 py-2">
                  {row.campaignId && row.campaignName ? (
                    <Link href={`/campaigns/${row.campaignId}`} className="text-zinc-800 underline-offset-2 hover:underline">
                      {row.campaignName}
                    </Link>
                  ) : (
                    <span className="text-zinc-500">—</span>
                  )}
                </td>
              ) : null}
              <td className="px-4 py-2 text-right text-zinc-700 tabular-nums">{row.step ?? "—"}</td>
              <td className="px-4 py-2 text-xs text-zinc-700">
                {row.action ? (
                  <span className={row.undone ? "text-zinc-500 line-through" : undefined}>{REPLY_ACTION_LABELS[row.action]}</span>
                ) : row.category === "out_of_office" ? (
                  // Why is on the lead's page (outOfOfficeNothingDone): Instantly's sequence, no date, or nothing due.
                  "Nothing put off"
                ) : (
                  "—"
                )}
                {row.undone ? <span className="ml-1 text-zinc-500">(undone)</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
