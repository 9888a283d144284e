import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { NewCampaignForm } from "@/components/campaigns/new-campaign-form";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { canonicalFilterQuery } from "@/lib/campaigns/choose-audience";
import { ZAudienceChoice, type AudienceChoice } from "@/lib/campaigns/schemas";
import { AppError } from "@/lib/errors";
import { listSavedViews } from "@/lib/saved-views/saved-views";

export const metadata: Metadata = { title: "New campaign" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * Starts a draft. The lead table links here with its filter (`?filter=<the table's query>`) or a
 * saved view (`?view=<id>`); without either the rep picks a view here or later in the editor.
 */
export default async function NewCampaignPage({ searchParams }: Props) {
  const session = await requirePageSession("campaigns.draft");
  const raw = await searchParams;
  const views = await withUserTx(session.claims, (tx) =>
    listSavedViews(tx, { workspaceId: session.current.workspaceId, userId: session.userId, tableName: "leads" }),
  );
  let notice: string | null = null;
  let initial: AudienceChoice | null = null;
  const filter = first(raw.filter);
  const viewId = first(raw.view);
  if (viewId) {
    const parsed = ZAudienceChoice.safeParse({ kind: "view", viewId });
    if (parsed.success && views.some((v) => v.id === viewId)) initial = parsed.data;
    else notice = "That saved view is not available to you any more. Choose another audience below.";
  } else if (filter !== undefined) {
    try {
      initial = { kind: "filter", query: canonicalFilterQuery(filter.slice(0, 4_000)) };
    } catch (error) {
      notice = error instanceof AppError ? error.message : "That filter could not be read. Choose the audience below.";
    }
  }

  return (
    <>
      <PageHeader title="New campaign" description="Name it and choose who it is for; write the emails next." />
      <div className="max-w-2xl space-y-4 p-6">
        {notice ? (
          <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
            {notice}
          </p>
        ) : null}
        <NewCampaignForm views={views.map((v) => ({ id: v.id, name: v.name }))} initial={initial} />
        <p className="text-sm text-zinc-600">
          To start from a filter, build it in the{" "}
          <Link href="/leads" className="text-accent-700 underline underline-offset-2">
            lead table
          </Link>{" "}
          and choose “Use these filters for a campaign”; to start from chosen leads, select them there and choose “Add to campaign”.
        </p>
      </div>
    </>
  );
}
