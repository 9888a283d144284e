import { Building2 } from "lucide-react";
import Link from "next/link";
import type { LeadCompanyCard } from "@/lib/leads/lead-detail-types";
import { safeHref } from "@/lib/security/safe-href";

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export function CompanyCard({ company, companyName }: { company: LeadCompanyCard | null; companyName: string | null }) {
  if (!company) {
    return (
      <section aria-labelledby="lead-company-heading" className="rounded-lg border border-zinc-200 bg-white p-4">
        <h2 id="lead-company-heading" className="text-sm font-semibold">
          Company
        </h2>
        <p className="mt-1 text-sm text-zinc-500">
          {companyName ?? "No company linked."} A lead joins its company when the email&apos;s domain matches one in Companies, or when the
          company is chosen in the lead&apos;s edit form.
        </p>
      </section>
    );
  }
  const website = safeHref(company.website ?? (company.domain ? `https://${company.domain}` : null));
  const facts = [
    company.industry,
    company.employeeCount !== null ? `${compact.format(company.employeeCount)} employees` : null,
    company.annualRevenue !== null ? `$${compact.format(company.annualRevenue)} revenue` : null,
    [company.city, company.country].filter(Boolean).join(", ") || null,
  ].filter(Boolean);
  return (
    <section aria-labelledby="lead-company-heading" className="rounded-lg border border-zinc-200 bg-white p-4" data-testid="company-card">
      <h2 id="lead-company-heading" className="flex items-center gap-2 text-sm font-semibold">
        <Building2 aria-hidden className="size-4 text-zinc-500" />
        <Link href={`/companies/${company.id}`} className="hover:underline">
          {company.name}
        </Link>
      </h2>
      {website ? (
        <a href={website} target="_blank" rel="noopener noreferrer nofollow" className="mt-1 block text-sm text-accent-700 hover:underline">
          {company.domain ?? website}
        </a>
      ) : null}
      {facts.length ? <p className="mt-2 text-sm text-zinc-700">{facts.join(" · ")}</p> : null}
      {company.description ? <p className="mt-2 line-clamp-4 text-sm text-zinc-600">{company.description}</p> : null}
      <p className="mt-2 text-xs text-zinc-500">
        {company.leadCount} lead{company.leadCount === 1 ? "" : "s"} at this company
      </p>
    </section>
  );
}
