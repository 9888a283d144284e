import Link from "next/link";
import { RepliesTable } from "@/components/replies/replies-table";
import type { ReplyPage } from "@/lib/ai/replies/list-replies";

const href = (campaignId: string, after?: string) => `/campaigns/${campaignId}${after ? `?repliesAfter=${after}` : ""}#replies`;

/** A campaign's replies, newest first, a page at a time, each with how it was read and a link to its lead. */
export function CampaignReplies({ campaignId, page, paged }: { campaignId: string; page: ReplyPage; paged: boolean }) {
  return (
    <section aria-labelledby="replies" className="rounded-lg border border-zinc-200 bg-white">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3">
        <h2 id="replies" className="text-sm font-semibold text-zinc-900">
          Replies
        </h2>
        <Link href={`/replies?campaign=${campaignId}`} className="text-xs font-medium text-accent-700 underline underline-offset-2">
          Filter them in the Replies inbox
        </Link>
      </div>
      <RepliesTable
        rows={page.rows}
        showCampaign={false}
        label="Replies to this campaign"
        empty={{ title: "No replies yet", body: "Replies to this campaign's emails appear here as they arrive, read by the AI model." }}
      />
      {paged || page.nextCursor ? (
        <div className="flex gap-4 border-t border-zinc-200 px-4 py-2 text-sm">
          {paged ? (
            <Link href={href(campaignId)} className="font-medium text-accent-700 underline underline-offset-2">
              ← Newest replies
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={href(campaignId, page.nextCursor)} className="font-medium text-accent-700 underline underline-offset-2">
              Older replies →
            </Link>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
