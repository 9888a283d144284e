import { Building2 } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { CompaniesTable } from "@/components/companies/companies-table";
import { CompaniesToolbar } from "@/components/companies/companies-toolbar";
import { Pager } from "@/components/companies/pager";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { listCompanies } from "@/lib/companies/list-companies";
import { companyListHref, parseCompanyListState } from "@/lib/companies/list-state";

export const metadata: Metadata = { title: "Companies" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CompaniesPage({ searchParams }: Props) {
  const session = await requirePageSession("workspace.read");
  const { state, notices } = parseCompanyListState(await searchParams);
  const page = await withUserTx(session.claims, (tx) => listCompanies(tx, { workspaceId: session.current.workspaceId, state }));
  if (page.cursorIgnored) notices.push("That page link is not valid for this list any more, so the first page is shown.");
  const first = { ...state, cursor: undefined, before: false };

  return (
    <>
      <PageHeader title="Companies" description="Accounts your leads work at, one per domain." />
      <div className="space-y-4 p-6">
        <CompaniesToolbar state={state} total={page.total} />
        {notices.map((notice) => (
          <p key={notice} role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
            {notice}
          </p>
        ))}
        {page.rows.length === 0 ? (
          <EmptyState
            icon={Building2}
            title={state.q ? `No companies match “${state.q}”` : "No companies yet"}
            action={
              state.q ? (
                <Link href={companyListHref({ ...first, q: undefined })} className="text-sm font-medium text-accent-700 hover:underline">
                  Show all companies
                </Link>
              ) : undefined
            }
          >
            {state.q
              ? "Search looks in company names and domains. Try part of a name, or a domain such as acme.com."
              : "Companies appear here as leads are imported or added with a company; each has its leads and their status counts."}
          </EmptyState>
        ) : (
          <>
            <CompaniesTable rows={page.rows} state={state} />
            <Pager
              label="Company pages"
              links={[
                { label: "First", href: page.prevCursor ? companyListHref(first) : null },
                {
                  label: "Previous",
                  rel: "prev",
                  href: page.prevCursor ? companyListHref({ ...state, cursor: page.prevCursor, before: true }) : null,
                },
                {
                  label: "Next",
                  rel: "next",
                  href: page.nextCursor ? companyListHref({ ...state, cursor: page.nextCursor, before: false }) : null,
                },
              ]}
            />
          </>
        )}
      </div>
    </>
  );
}
