import Link from "next/link";
import { SampleCompanyMark } from "@/components/integrations/sample-data";
import { LocalTime } from "@/components/ui/local-time";
import type { CompanyListRow } from "@/lib/companies/company-types";
import { COMPANY_SORT_LABELS, companyListHref, withSort, type CompanyListState, type CompanySort } from "@/lib/companies/list-state";
import { formatCount } from "./format";

type Column = { label: string; sort?: CompanySort; numeric?: boolean };

const COLUMNS: Column[] = [
  { label: COMPANY_SORT_LABELS.name, sort: "name" },
  { label: "Industry" },
  { label: "Employees", sort: "size", numeric: true },
  { label: "Location" },
  { label: COMPANY_SORT_LABELS.leads, sort: "leads", numeric: true },
  { label: COMPANY_SORT_LABELS.created, sort: "created" },
];

/** The sortable header: a link to the same list sorted by the column (a second click flips it). */
function HeaderCell({ column, state }: { column: Column; state: CompanyListState }) {
  const align = column.numeric ? "text-right" : "text-left";
  if (!column.sort) return <th className={`px-4 py-2 font-medium ${align}`}>{column.label}</th>;
  const active = state.sort === column.sort;
  const arrow = active ? (state.dir === "asc" ? "↑" : "↓") : "";
  return (
    <th className={`px-4 py-2 font-medium ${align}`} aria-sort={active ? (state.dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link href={companyListHref(withSort(state, column.sort))} className="inline-flex items-center gap-1 hover:text-zinc-900">
        {column.label}
        <span aria-hidden className="w-3">
          {arrow}
        </span>
      </Link>
    </th>
  );
}

export function CompaniesTable({ rows, state }: { rows: CompanyListRow[]; state: CompanyListState }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Companies</caption>
        <thead className="border-b border-zinc-200 text-xs text-zinc-600">
          <tr>
            {COLUMNS.map((column) => (
              <HeaderCell key={column.label} column={column} state={state} />
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((company) => (
            <tr key={company.id} className="hover:bg-zinc-50">
              <td className="px-4 py-2">
                <Link href={`/companies/${company.id}`} className="font-medium text-zinc-900 hover:underline">
                  {company.name}
                </Link>
                {company.sampleData ? (
                  <>
                    {" "}
                    <SampleCompanyMark />
                  </>
                ) : null}
                {company.domain ? <div className="text-xs text-zinc-500">{company.domain}</div> : null}
              </td>
              <td className="px-4 py-2 text-zinc-700">{company.industry ?? "—"}</td>
              <td className="px-4 py-2 text-right tabular-nums text-zinc-700">{formatCount(company.employeeCount)}</td>
              <td className="px-4 py-2 text-zinc-700">{[company.city, company.country].filter(Boolean).join(", ") || "—"}</td>
              <td className="px-4 py-2 text-right tabular-nums">{formatCount(company.leadCount)}</td>
              <td className="px-4 py-2 text-zinc-600">
                <LocalTime value={company.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
