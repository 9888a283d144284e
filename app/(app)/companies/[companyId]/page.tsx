import { Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { CompanyLeadsTable } from "@/components/companies/company-leads-table";
import { SampleCompanyNotice } from "@/components/integrations/sample-data";
import { CompanyProfile } from "@/components/companies/company-profile";
import { EditCompanyForm } from "@/components/companies/edit-company-form";
import { Disclosure } from "@/components/ui/disclosure";
import { LeadStatusCounts } from "@/components/companies/lead-status-counts";
import { Pager } from "@/components/companies/pager";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { decodeCompanyLeadsCursor, getCompany, listCompanyLeads } from "@/lib/companies/get-company";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Company" };

type Props = { params: Promise<{ companyId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CompanyPage({ params, searchParams }: Props) {
  const session = await requirePageSession("workspace.read");
  const { companyId } = await params;
  const raw = (await searchParams).cursor;
  const cursor = typeof raw === "string" && raw !== "" ? raw : undefined;
  // A hand-edited or stale cursor is "no cursor": the newest leads, with a word about why.
  const badCursor = !!cursor && !decodeCompanyLeadsCursor(cursor);
  const workspaceId = session.current.workspaceId;
  const loaded = await withUserTx(session.claims, async (tx) => {
    try {
      const company = await getCompany(tx, { workspaceId, companyId });
      const leads = await listCompanyLeads(tx, { workspaceId, companyId, cursor: badCursor ? undefined : cursor });
      return { company, leads };
    } catch (error) {
      if (error instanceof AppError && error.code === "not_found") return null;
      throw error;
    }
  });
  if (!loaded) notFound();
  const { company, leads } = loaded;

  return (
    <>
      <PageHeader
        title={company.name}
        description={[company.industry, company.domain].filter(Boolean).join(" · ") || undefined}
        actions={
          <Link href="/companies" className="text-sm text-accent-700 hover:underline">
            All companies
          </Link>
        }
      />
      <div className="grid gap-4 p-6 lg:grid-cols-[22rem_1fr]">
        <div className="space-y-4">
          {company.sampleData ? <SampleCompanyNotice /> : null}
          <CompanyProfile company={company} />
          <LeadStatusCounts counts={company.leadsByStatus} total={company.leadCount} />
          {/* Those who add leads edit companies (lib/companies/save-company.ts); the others read. */}
          {can(session.current.role, "leads.create") ? (
            <Disclosure className="rounded-lg border border-zinc-200 bg-white p-4">
              <summary className="cursor-pointer text-sm font-medium text-accent-700">Edit company</summary>
              <div className="mt-3">
                <EditCompanyForm company={company} />
              </div>
            </Disclosure>
          ) : null}
        </div>
        <section aria-labelledby="company-leads-heading" className="min-w-0 space-y-3">
          <h2 id="company-leads-heading" className="text-sm font-semibold text-zinc-900">
            Leads
          </h2>
          {badCursor ? (
            <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
              That page link is not valid any more, so the newest leads are shown.
            </p>
          ) : null}
          {leads.rows.length === 0 ? (
            <EmptyState icon={Users} title="No leads at this company">
              Leads join a company when they are imported or added with it; deleted leads are not listed.
            </EmptyState>
          ) : (
            <>
              <CompanyLeadsTable rows={leads.rows} />
              <Pager
                label="Lead pages"
                links={[
                  { label: "Newest", href: cursor && !badCursor ? `/companies/${company.id}` : null },
                  { label: "Older", rel: "next", href: leads.nextCursor ? `/companies/${company.id}?cursor=${leads.nextCursor}` : null },
                ]}
              />
            </>
          )}
        </section>
      </div>
    </>
  );
}
