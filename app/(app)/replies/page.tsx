import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { LiveRefresh } from "@/components/live/live-refresh";
import { LiveStatusNote } from "@/components/live/live-status";
import { RepliesTable } from "@/components/replies/replies-table";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { listReplies, listReplyCampaigns } from "@/lib/ai/replies/list-replies";
import { decodeReplyCursor, ZReplyFilters } from "@/lib/ai/replies/reply-filters";
import { ReplyFiltersForm } from "./reply-filters-form";

export const metadata: Metadata = { title: "Replies" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The workspace's replies, newest first, as the model read them: filtered by category and
 * campaign, a page at a time, each linked to its lead (read in full there, with Undo and the
 * suggested answer). Read under the viewer's RLS; new replies and readings arrive live.
 */
export default async function RepliesPage({ searchParams }: Props) {
  const session = await requirePageSession("workspace.read");
  const parsed = ZReplyFilters.parse(await searchParams);
  // A hand-edited or stale cursor is "no cursor": the newest replies, with a word about why.
  const cursor = parsed.after ? decodeReplyCursor(parsed.after) : null;
  const badCursor = !!parsed.after && !cursor;
  const { workspaceId } = session.current;
  const [page, campaigns] = await withUserTx(session.claims, (tx) =>
    Promise.all([
      listReplies(tx, { workspaceId, category: parsed.category, campaignId: parsed.campaign, cursor }),
      listReplyCampaigns(tx, { workspaceId }),
    ]),
  );
  const filtered = !!(parsed.category || parsed.campaign);
  const query = (after?: string) => {
    const params = new URLSearchParams();
    if (parsed.category) params.set("category", parsed.category);
    if (parsed.campaign) params.set("campaign", parsed.campaign);
    if (after) params.set("after", after);
    return params.size ? `/replies?${params}` : "/replies";
  };

  return (
    <>
      <PageHeader title="Replies" description="What leads answered, read by the AI model: newest first." />
      <LiveRefresh kinds={["reply"]} />
      <div className="space-y-4 p-6">
        <LiveStatusNote what="New replies appear here as they arrive" />
        <ReplyFiltersForm campaigns={campaigns} filters={parsed} />
        {badCursor ? (
          <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
            That page link is not valid any more, so the newest replies are shown.
          </p>
        ) : null}
        <section aria-labelledby="replies-heading" className="rounded-lg border border-zinc-200 bg-white">
          <h2 id="replies-heading" className="sr-only">
            Replies
          </h2>
          <RepliesTable
            rows={page.rows}
            showCampaign
            label="Replies"
            empty={
              filtered || cursor
                ? { title: "No replies match these filters", body: "Choose another category or campaign above." }
                : {
                    title: "No replies yet",
                    body: "When a lead answers a campaign's email, the reply appears here, read by the AI model.",
                  }
            }
          />
          {cursor || page.nextCursor ? (
            <div className="flex gap-4 border-t border-zinc-200 px-4 py-2 text-sm">
              {cursor ? (
                <Link href={query()} className="font-medium text-accent-700 underline underline-offset-2">
                  ← Newest
                </Link>
              ) : null}
              {page.nextCursor ? (
                <Link href={query(page.nextCursor)} className="font-medium text-accent-700 underline underline-offset-2">
                  Older replies →
                </Link>
              ) : null}
            </div>
          ) : null}
        </section>
      </div>
    </>
  );
}
