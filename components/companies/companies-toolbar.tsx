import { Search } from "lucide-react";
import Link from "next/link";
import { companyListHref, type CompanyListState } from "@/lib/companies/list-state";
import { PAGE_SIZES } from "@/lib/leads/list-state";
import { formatCompanyTotal } from "./format";
import type { LeadTotal } from "@/lib/leads/lead-list-types";

/**
 * Search (a plain GET form: works before any script loads, and the result is a shareable URL),
 * the total, and the page size. A new search starts from the first page in the same sort.
 */
export function CompaniesToolbar({ state, total }: { state: CompanyListState; total: LeadTotal }) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <form action="/companies" method="get" role="search" className="flex items-center gap-2">
        <label htmlFor="company-search" className="sr-only">
          Search companies
        </label>
        <div className="relative">
          <Search aria-hidden className="pointer-events-none absolute top-2 left-2.5 size-4 text-zinc-400" />
          <input
            id="company-search"
            name="q"
            type="search"
            defaultValue={state.q ?? ""}
            maxLength={200}
            placeholder="Search name or domain"
            className="block w-72 rounded-md border border-zinc-300 bg-white py-1.5 pr-2.5 pl-8 text-sm placeholder:text-zinc-500 focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none"
          />
        </div>
        {state.sort !== "name" ? <input type="hidden" name="sort" value={state.sort} /> : null}
        {state.dir !== "asc" ? <input type="hidden" name="dir" value={state.dir} /> : null}
        {state.pageSize !== 50 ? <input type="hidden" name="pageSize" value={state.pageSize} /> : null}
        <button
          type="submit"
          className="h-8 rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 hover:bg-zinc-50"
        >
          Search
        </button>
        {state.q ? (
          <Link
            href={companyListHref({ ...state, q: undefined, cursor: undefined, before: false })}
            className="text-sm text-accent-700 hover:underline"
          >
            Clear
          </Link>
        ) : null}
      </form>
      <p className="text-sm text-zinc-600" data-testid="company-total">
        {formatCompanyTotal(total)}
      </p>
      <nav aria-label="Companies per page" className="ml-auto flex items-center gap-1 text-sm text-zinc-600">
        <span>Per page</span>
        {PAGE_SIZES.map((size) =>
          size === state.pageSize ? (
            <span key={size} aria-current="true" className="rounded bg-zinc-200 px-1.5 font-medium text-zinc-900">
              {size}
            </span>
          ) : (
            <Link
              key={size}
              href={companyListHref({ ...state, pageSize: size, cursor: undefined, before: false })}
              className="rounded px-1.5 hover:bg-zinc-100"
            >
              {size}
            </Link>
          ),
        )}
      </nav>
    </div>
  );
}
