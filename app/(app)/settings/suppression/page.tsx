import type { Metadata } from "next";
import Link from "next/link";
import { ShieldBan } from "lucide-react";
import { requirePageSession } from "@/app/_server/session";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { withUserTx } from "@/db";
import type { SuppressionReason } from "@/db/schema/campaign-enums";
import { can } from "@/lib/auth/permissions";
import { listSuppressions } from "@/lib/suppressions/manage-suppressions";
import { unicodeForm } from "@/lib/suppressions/unicode-form";
import { AddSuppressionForm } from "./add-suppression-form";
import { ImportSuppressionsForm } from "./import-suppressions-form";
import { RemoveSuppressionButton } from "./remove-suppression-button";
import { PAGE_WORKSPACE_PARAM } from "@/lib/auth/page-workspace";

export const metadata: Metadata = { title: "Suppression" };

const REASONS: Record<SuppressionReason, { label: string; tone: "neutral" | "amber" | "red" }> = {
  manual: { label: "Added by hand", tone: "neutral" },
  import: { label: "Imported", tone: "neutral" },
  unsubscribe: { label: "Unsubscribed", tone: "amber" },
  bounce: { label: "Bounced", tone: "red" },
  complaint: { label: "Spam complaint", tone: "red" },
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SuppressionSettingsPage({ searchParams }: Props) {
  const session = await requirePageSession();
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q.slice(0, 320) : "";
  // The list's own cursor; one that does not decode (a hand-edited link) shows the first page.
  const after = typeof params.after === "string" ? params.after.slice(0, 200) : null;
  const manage = can(session.current.role, "suppression.manage");
  const canAdd = can(session.current.role, "suppression.add");
  const canExport = can(session.current.role, "data.export");
  const page = await withUserTx(session.claims, (tx) =>
    listSuppressions(tx, { workspaceId: session.current.workspaceId, search: q, after }),
  );
  const more = (id: string) => `/settings/suppression?${new URLSearchParams({ ...(q ? { q } : {}), after: id })}`;

  return (
    <div className="max-w-5xl space-y-6">
      {canAdd ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <section className="rounded-lg border border-zinc-200 bg-white p-5">
            <h2 className="mb-3 text-sm font-semibold">Add an address or a domain</h2>
            <AddSuppressionForm />
          </section>
          {manage ? (
            <section className="rounded-lg border border-zinc-200 bg-white p-5">
              <h2 className="mb-3 text-sm font-semibold">Upload a list</h2>
              <ImportSuppressionsForm />
            </section>
          ) : null}
        </div>
      ) : null}
      <section className="rounded-lg border border-zinc-200 bg-white" aria-labelledby="suppression-list-title">
        <div className="flex flex-wrap items-end justify-between gap-3 border-b border-zinc-200 px-4 py-3">
          <div>
            <h2 id="suppression-list-title" className="text-sm font-semibold">
              Suppression list ({page.total.toLocaleString()}
              {q ? " found" : ""})
            </h2>
            <p className="mt-0.5 text-xs text-zinc-600">
              Campaigns never email these addresses, nor anyone at these domains. Unsubscribes, hard bounces and spam complaints are added
              automatically.
              {manage
                ? ""
                : canAdd
                  ? " Only admins remove entries or upload lists."
                  : " Managers and admins add to it; only admins remove entries."}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            {canExport && page.total > 0 ? (
              <a
                href={`/api/suppressions/export?${PAGE_WORKSPACE_PARAM}=${session.current.workspaceId}`}
                download
                className="text-sm text-accent-700 underline"
              >
                Download CSV
              </a>
            ) : null}
            <form method="get" action="/settings/suppression" role="search" className="flex gap-2">
              <label htmlFor="suppression-search" className="sr-only">
                Search the suppression list
              </label>
              <input
                id="suppression-search"
                name="q"
                type="search"
                defaultValue={q}
                placeholder="Search addresses and domains"
                className="h-8 w-64 rounded-md border border-zinc-300 px-2.5 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none"
              />
              <button type="submit" className="h-8 rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium hover:bg-zinc-50">
                Search
              </button>
            </form>
          </div>
        </div>
        {page.rows.length === 0 ? (
          <div className="p-6">
            {q ? (
              <p className="text-sm text-zinc-600">
                Nothing on the list contains “{q}”.{" "}
                <Link href="/settings/suppression" className="text-accent-700 underline">
                  Show the whole list
                </Link>
              </p>
            ) : (
              <EmptyState icon={ShieldBan} title="No suppressed address yet">
                {manage
                  ? "Add an address or a domain above, or upload a list."
                  : canAdd
                    ? "Add an address or a domain above."
                    : "Unsubscribes, bounces and complaints will appear here."}
              </EmptyState>
            )}
          </div>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="bg-zinc-50 text-xs text-zinc-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Address or domain
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Why
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Added
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Note
                </th>
                {manage ? (
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.rows.map((row) => {
                const unicode = unicodeForm(row.value);
                return (
                  <tr key={row.id}>
                    <td className="px-4 py-2">
                      <span className="font-medium break-all">{unicode ?? row.value}</span>
                      {row.kind === "domain" ? <span className="ml-1 text-xs text-zinc-600"> (whole domain)</span> : null}
                      {unicode ? <span className="block text-xs break-all text-zinc-600">{row.value}</span> : null}
                    </td>
                    <td className="px-4 py-2">
                      <Badge tone={REASONS[row.reason].tone}>{REASONS[row.reason].label}</Badge>
                    </td>
                    <td className="px-4 py-2 text-zinc-600">
                      <LocalTime value={row.createdAt} />
                      {row.createdByName ? ` by ${row.createdByName}` : ""}
                    </td>
                    <td className="max-w-xs px-4 py-2 break-words text-zinc-600">{row.note}</td>
                    {manage ? (
                      <td className="px-4 py-2 text-right">
                        <RemoveSuppressionButton id={row.id} value={unicode ?? row.value} reason={row.reason} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {after || page.nextAfter ? (
          <nav aria-label="Pages" className="flex justify-between border-t border-zinc-200 px-4 py-2 text-sm">
            {after ? (
              <Link
                href={q ? `/settings/suppression?${new URLSearchParams({ q })}` : "/settings/suppression"}
                className="text-accent-700 underline"
              >
                First page
              </Link>
            ) : (
              <span />
            )}
            {page.nextAfter ? (
              <Link href={more(page.nextAfter)} className="text-accent-700 underline">
                Next page
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
