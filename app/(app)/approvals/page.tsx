import { CheckCheck } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { audienceLabel } from "@/components/campaigns/audience-label";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { listPendingApprovals } from "@/lib/campaigns/approval/list-pending-approvals";

export const metadata: Metadata = { title: "Approvals" };

/** Campaigns waiting for an admin (DESIGN.md §7.1), the longest-waiting first; each opens its review. */
export default async function ApprovalsPage() {
  const session = await requirePageSession("campaigns.approve");
  const workspaceId = session.current.workspaceId;
  const pending = await withUserTx(session.claims, (tx) => listPendingApprovals(tx, { workspaceId }));
  return (
    <>
      <PageHeader title="Approvals" description="Campaigns waiting for an admin to approve exactly what will be sent." />
      <div className="p-6">
        {pending.length === 0 ? (
          <EmptyState icon={CheckCheck} title="Nothing waiting for approval">
            When a rep submits a campaign, it appears here; its review shows the checks, the steps and every email rendered on real leads of
            its audience.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
            <table className="w-full text-sm">
              <caption className="sr-only">Campaigns waiting for approval</caption>
              <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
                <tr>
                  <th className="px-4 py-2 font-medium">Campaign</th>
                  <th className="px-4 py-2 font-medium">Author</th>
                  <th className="px-4 py-2 font-medium">Submitted</th>
                  <th className="px-4 py-2 font-medium">Audience</th>
                  <th className="px-4 py-2 text-right font-medium">Steps</th>
                  <th className="px-4 py-2 text-right font-medium">Identities</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {pending.map((c) => (
                  <tr key={c.id} className="hover:bg-zinc-50">
                    <td className="px-4 py-2">
                      <Link href={`/approvals/${c.id}`} className="font-medium text-accent-700 hover:underline">
                        {c.name}
                      </Link>
                      {c.variantCount > c.stepCount ? <span className="block text-xs text-zinc-500">with A/B variants</span> : null}
                    </td>
                    <td className="px-4 py-2 text-zinc-700">
                      {c.ownerName ?? "A former member"}
                      {c.submittedByName && c.submittedByName !== c.ownerName ? (
                        <span className="block text-xs text-zinc-500">submitted by {c.submittedByName}</span>
                      ) : null}
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap text-zinc-600">
                      {c.submittedAt ? <LocalTime value={c.submittedAt} withTime /> : "—"}
                    </td>
                    <td className="px-4 py-2 text-zinc-700">{audienceLabel(c.audience)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{c.stepCount}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{c.identityCount}</td>
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
