import type { ReactNode } from "react";
import type { CompanyDetail } from "@/lib/companies/company-types";
import { LocalTime } from "@/components/ui/local-time";
import { formatCount, formatMoney } from "./format";
import { safeHref } from "@/lib/security/safe-href";

function ExternalLink({ href, children }: { href: string | null; children: string }) {
  const safe = safeHref(href);
  if (!safe) return <>{children}</>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow" className="text-accent-700 hover:underline">
      {children}
    </a>
  );
}

export function CompanyProfile({ company }: { company: CompanyDetail }) {
  const facts: [string, ReactNode][] = [
    [
      "Website",
      company.website || company.domain ? (
        <ExternalLink href={company.website ?? company.domain}>{company.domain ?? company.website!}</ExternalLink>
      ) : (
        "—"
      ),
    ],
    ["LinkedIn", company.linkedinUrl ? <ExternalLink href={company.linkedinUrl}>Company page</ExternalLink> : "—"],
    ["Industry", company.industry ?? "—"],
    ["Employees", formatCount(company.employeeCount)],
    ["Annual revenue", formatMoney(company.annualRevenue)],
    ["Location", [company.city, company.country].filter(Boolean).join(", ") || "—"],
    ["Added", <LocalTime key="added" value={company.createdAt} />],
  ];
  return (
    <section aria-labelledby="company-profile-heading" className="rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="company-profile-heading" className="text-sm font-semibold text-zinc-900">
        Profile
      </h2>
      {company.description ? <p className="mt-1 text-sm text-zinc-700">{company.description}</p> : null}
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-zinc-500">{label}</dt>
            <dd className="text-zinc-900">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
