import { Users } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from "@/db/schema/campaign-enums";
import { describeEndReason, ENROLLMENT_STATUS_LABELS } from "@/lib/campaigns/stats/enrollment-labels";
import type { EnrollmentPage } from "@/lib/campaigns/stats/list-campaign-enrollments";
import { cn } from "@/components/ui/cn";
import { describeStep, EnrollmentStateBadge } from "./enrollment-state-badge";

type Props = {
  campaignId: string;
  page: EnrollmentPage;
  state: EnrollmentStatus | undefined;
  /** The page shown is not the first (a "first page" link is offered). */
  paged: boolean;
  badCursor: boolean;
  stepCount: number;
};

const href = (campaignId: string, params: Record<string, string | undefined>) => {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return `/campaigns/${campaignId}${query ? `?${query}` : ""}#enrollments`;
};

/** Every lead of the campaign with its state, step, next send (in the viewer's zone) and why it ended; a page at a time. */
export function EnrollmentsTable({ campaignId, page, state, paged, badCursor, stepCount }: Props) {
  return (
    <section aria-labelledby="enrollments" className="rounded-lg border border-zinc-200 bg-white">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3">
        <h2 id="enrollments" className="text-sm font-semibold text-zinc-900">
          Leads in this campaign
        </h2>
        <nav aria-label="Filter leads by state" className="flex flex-wrap gap-1 text-xs">
          {[undefined, ...ENROLLMENT_STATUSES].map((s) => (
            <Link
              key={s ?? "all"}
              href={href(campaignId, { state: s })}
              aria-current={s === state ? "page" : undefined}
              className={cn("rounded px-2 py-1 font-medium", s === state ? "bg-zinc-900 text-white" : "text-zinc-700 hover:bg-zinc-100")}
            >
              {s ? ENROLLMENT_STATUS_LABELS[s] : "All"}
            </Link>
          ))}
        </nav>
      </div>
      {badCursor ? (
        <p role="status" className="m-4 rounded-md bg-amber-50 p-3 text-sm text-amber-800">
          That page link is not valid any more, so the first page is shown.
        </p>
      ) : null}
      {page.rows.length === 0 ? (
        <div className="p-6">
          <EmptyState icon={Users} title={state ? `No lead is ${ENROLLMENT_STATUS_LABELS[state].toLowerCase()}` : "No lead enrolled yet"}>
            {state ? "Choose another state above to see the others." : "Leads appear here as the launch enrolls the audience."}
          </EmptyState>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="enrollments-table">
            <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Lead
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  State
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Step
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Next email
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Why it ended
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  <span className="sr-only">History</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.rows.map((row) => (
                <tr key={row.id} className="hover:bg-zinc-50">
                  <td className="px-4 py-2">
                    {row.leadDeleted ? (
                      <span className="text-zinc-500">{row.leadName ?? row.leadEmail ?? "A lead"} (deleted)</span>
                    ) : (
                      <Link href={`/leads/${row.leadId}`} className="font-medium text-zinc-900 underline-offset-2 hover:underline">
                        {row.leadName ?? row.leadEmail ?? "Unnamed lead"}
                      </Link>
                    )}
                    {row.leadName && row.leadEmail ? <div className="text-xs text-zinc-500">{row.leadEmail}</div> : null}
                  </td>
                  <td className="px-4 py-2">
                    <EnrollmentStateBadge status={row.status} />
                  </td>
                  <td className="px-4 py-2 text-zinc-700">{describeStep(row.status, row.nextStep, stepCount)}</td>
                  <td className="px-4 py-2 text-zinc-700">
                    {row.status === "active" && row.nextSendAt ? <LocalTime value={row.nextSendAt} withTime /> : "—"}
                  </td>
                  <td className="max-w-xs px-4 py-2 text-zinc-700">{describeEndReason(row.endCause, row.stopReason) ?? "—"}</td>
                  <td className="px-4 py-2 text-right">
                    <Link
                      href={`/campaigns/${campaignId}/enrollments/${row.id}`}
                      className="text-xs font-medium text-accent-700 underline underline-offset-2"
                    >
                      Emails<span className="sr-only"> to {row.leadName ?? row.leadEmail ?? "this lead"}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {paged || page.nextCursor ? (
        <div className="flex gap-4 border-t border-zinc-200 px-4 py-2 text-sm">
          {paged ? (
            <Link href={href(campaignId, { state })} className="font-medium text-accent-700 underline underline-offset-2">
              ← First page
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link
              href={href(campaignId, { state, after: page.nextCursor })}
              className="font-medium text-accent-700 underline underline-offset-2"
            >
              Next page →
            </Link>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
