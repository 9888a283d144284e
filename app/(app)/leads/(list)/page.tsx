import { Download, Plus, Send } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { exportHref } from "@/components/leads/bulk/export-href";
import { ExportLink } from "@/components/leads/bulk/export-link";
import { RunningBulkChanges } from "@/components/leads/bulk/running-bulk-changes";
import { LeadDetail } from "@/components/leads/detail/lead-detail";
import { LiveRefresh } from "@/components/live/live-refresh";
import { loadLeadDetail } from "@/components/leads/detail/load-lead-detail";
import { LeadsTable } from "@/components/leads/table/data-table";
import { formatLeadTotal } from "@/components/leads/table/format";
import { leadListHref } from "@/components/leads/table/lead-list-href";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import { listCampaignTargets } from "@/lib/campaigns/list-campaigns";
import { myRunningBulkChanges } from "@/lib/leads/bulk/running-bulk-changes";
import { listLeads } from "@/lib/leads/list-leads";
import { parseLeadListState } from "@/lib/leads/list-state";
import { canDeleteSavedView, listSavedViews } from "@/lib/saved-views/saved-views";
import { listMembers } from "@/lib/team/list-members";
import { canOwnLeads } from "@/lib/leads/lead-permissions";

export const metadata: Metadata = { title: "Leads" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idParam = (value: string | string[] | undefined) => {
  const v = Array.isArray(value) ? value[0] : value;
  return v && UUID.test(v) ? v : undefined;
};

/**
 * The lead table. The server reads the URL, loads one page through the list service (RLS on),
 * and hands plain data to one client component that turns every click into a new URL.
 */
export default async function LeadsPage({ searchParams }: Props) {
  const session = await requirePageSession();
  const raw = await searchParams;
  const { state, notices } = parseLeadListState(raw);
  const { workspaceId, role } = session.current;
  const userId = session.userId;
  const leadId = idParam(raw.lead);
  // The open lead loads in its own transaction, beside the page rather than after it.
  const [[page, members, views, campaignTargets, bulkChanges], lead] = await Promise.all([
    // Independent reads started together: postgres.js pipelines a transaction's queries,
    // so they share round trips instead of waiting on one another.
    withUserTx(session.claims, (tx) =>
      Promise.all([
        listLeads(tx, { workspaceId, userId, state }),
        listMembers(tx, { workspaceId }),
        listSavedViews(tx, { workspaceId, userId, tableName: "leads" }),
        can(role, "campaigns.draft") ? listCampaignTargets(tx, { workspaceId, userId }) : undefined,
        myRunningBulkChanges(tx, { workspaceId, userId }),
      ]),
    ),
    leadId ? loadLeadDetail(session, leadId) : null,
  ]);
  const canCreate = can(role, "leads.create");

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {/* The visible page is read again when leads change elsewhere; scroll, selection and typing stay. */}
      <LiveRefresh kinds={["lead"]} />
      <PageHeader
        title="Leads"
        description={formatLeadTotal(page.total)}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {can(role, "data.export") && page.rows.length > 0 ? (
              <ExportLink
                href={exportHref(state, session.current.workspaceId)}
                className="inline-flex h-8 items-center whitespace-nowrap gap-1.5 rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 hover:bg-zinc-50"
              >
                <Download aria-hidden className="size-4" />
                Export CSV
              </ExportLink>
            ) : null}
            {campaignTargets && !state.deleted ? (
              <Link
                href={`/campaigns/new?filter=${encodeURIComponent(exportHref.query(state))}`}
                className="inline-flex h-8 items-center whitespace-nowrap gap-1.5 rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 hover:bg-zinc-50"
              >
                <Send aria-hidden className="size-4" />
                Use these filters for a campaign
              </Link>
            ) : null}
            {canCreate ? (
              <Link
                href="/leads/new"
                className="inline-flex h-8 items-center whitespace-nowrap gap-1.5 rounded-md bg-accent-600 px-3 text-sm font-medium text-white hover:bg-accent-700"
              >
                <Plus aria-hidden className="size-4" />
                New lead
              </Link>
            ) : null}
          </div>
        }
      />
      <RunningBulkChanges changes={bulkChanges} />
      <LeadsTable
        page={page}
        state={state}
        extras={{ view: idParam(raw.view), lead: leadId }}
        notices={[...notices, ...page.notices]}
        owners={members.map((m) => ({ id: m.userId, name: m.fullName || m.email, canOwn: canOwnLeads(m.role) }))}
        views={views.map((view) => ({
          ...view,
          href: leadListHref(parseLeadListState(view.params).state, { view: view.id }),
          deletable: canDeleteSavedView(view, { userId, role }),
        }))}
        currentUserId={userId}
        canSelect={can(role, "data.export") || can(role, "leads.edit_own")}
        bulkPermissions={{
          edit: can(role, "leads.edit_own"),
          assign: can(role, "leads.assign"),
          export: can(role, "data.export"),
          enrich: can(role, "enrichment.run"),
        }}
        campaignTargets={campaignTargets}
        canCreate={canCreate}
        panel={
          !leadId ? null : lead ? (
            <LeadDetail view={lead} variant="panel" />
          ) : (
            <p role="status" className="text-sm text-zinc-600">
              This lead is not in this workspace any more: it may have been removed, or the link came from another workspace.
            </p>
          )
        }
      />
    </div>
  );
}
