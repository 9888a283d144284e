import { Plus, Send } from "lucide-react";
import type { Metadata } from "next";
import { Suspense, type ReactNode } from "react";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { CampaignListFiltersForm } from "@/components/campaigns/campaign-list-filters";
import { CampaignLeadsCell, CampaignOutcomeCell } from "@/components/campaigns/campaign-list-figures";
import { CampaignsTable, type CampaignRowFigures } from "@/components/campaigns/campaigns-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import { listCampaigns, type CampaignListRow } from "@/lib/campaigns/list-campaigns";
import { getCampaignStats, type CampaignStats } from "@/lib/campaigns/stats/campaign-stats";
import { ZCampaignListFilters } from "@/lib/campaigns/schemas";
import { listMembers } from "@/lib/team/list-members";

export const metadata: Metadata = { title: "Campaigns" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function CampaignsPage({ searchParams }: Props) {
  const session = await requirePageSession("workspace.read");
  const raw = await searchParams;
  const parsed = ZCampaignListFilters.safeParse({ status: first(raw.status)?.split(",").filter(Boolean) ?? [], owner: first(raw.owner) });
  const filters = parsed.success ? parsed.data : { status: [] };
  const { workspaceId } = session.current;
  const [rows, members] = await withUserTx(session.claims, async (tx) =>
    Promise.all([listCampaigns(tx, { workspaceId, userId: session.userId, filters }), listMembers(tx, { workspaceId })]),
  );
  // Read once for the whole list and awaited by each figure's cell, inside its own Suspense.
  const stats =
    rows.length > 0
      ? withUserTx(session.claims, (tx) => getCampaignStats(tx, { workspaceId, campaignIds: rows.map((r) => r.id) }))
      : Promise.resolve(new Map<string, CampaignStats>());
  const streamed = (cell: ReactNode) => <Suspense fallback={<span className="text-zinc-500">Counting…</span>}>{cell}</Suspense>;
  const figures = (campaign: CampaignListRow): CampaignRowFigures => ({
    leads: streamed(
      <CampaignLeadsCell stats={stats} claims={session.claims} workspaceId={workspaceId} viewerId={session.userId} campaign={campaign} />,
    ),
    sent: streamed(<CampaignOutcomeCell stats={stats} campaignId={campaign.id} stage="sent" />),
    replied: streamed(<CampaignOutcomeCell stats={stats} campaignId={campaign.id} stage="replied" />),
    bounced: streamed(<CampaignOutcomeCell stats={stats} campaignId={campaign.id} stage="bounced" />),
  });
  const canCreate = can(session.current.role, "campaigns.draft");
  const newButton = canCreate ? (
    <Link
      href="/campaigns/new"
      className="inline-flex h-8 items-center whitespace-nowrap gap-1.5 rounded-md bg-accent-600 px-3 text-sm font-medium text-white hover:bg-accent-700"
    >
      <Plus aria-hidden className="size-4" />
      New campaign
    </Link>
  ) : null;
  const actions = (
    <>
      <Link href="/campaigns/instantly" className="text-sm text-accent-700 hover:underline">
        Instantly campaigns
      </Link>
      {newButton}
    </>
  );
  const filtered = filters.status.length > 0 || Boolean(filters.owner);

  return (
    <>
      <PageHeader title="Campaigns" description="Multi-step email sequences, from draft to approval to sending." actions={actions} />
      <div className="space-y-4 p-6">
        {!parsed.success ? (
          <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
            That filter is not valid any more, so every campaign is shown.
          </p>
        ) : null}
        <CampaignListFiltersForm filters={filters} owners={members.map((m) => ({ id: m.userId, name: m.fullName || m.email }))} />
        {rows.length === 0 ? (
          <EmptyState
            icon={Send}
            title={filtered ? "No campaigns match these filters" : "No campaigns yet"}
            action={filtered ? undefined : newButton}
          >
            {filtered
              ? "Clear the filters to see every campaign of the workspace."
              : "Start one here, or from the lead table: filter the leads you want and choose “Use these filters for a campaign”. Nothing is sent until an admin approves the exact content."}
          </EmptyState>
        ) : (
          <CampaignsTable rows={rows} figures={figures} />
        )}
      </div>
    </>
  );
}
