"use client";
import { ChevronLeft, ChevronRight, ChevronsLeft } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { LeadListPage } from "@/lib/leads/lead-list-types";
import { PAGE_SIZES, withFilters, type LeadListState, type PageSize } from "@/lib/leads/list-state-shape";
import { formatLeadTotal } from "./format";
import type { LeadListNavigation } from "./use-lead-list-navigation";

/** Keyset paging: first, previous and next (no page numbers: a cursor has no offset), the total and the page size. */
export function LeadTablePagination({ page, state, nav }: { page: LeadListPage; state: LeadListState; nav: LeadListNavigation }) {
  const first = state.cursor ? nav.pageHref(withFilters(state, {})) : null;
  const previous = page.prevCursor ? nav.pageHref({ ...state, cursor: page.prevCursor, before: true }) : null;
  const next = page.nextCursor ? nav.pageHref({ ...state, cursor: page.nextCursor, before: false }) : null;
  return (
    <nav
      aria-label="Pages"
      className="flex items-center justify-between gap-4 border-t border-zinc-200 bg-white px-4 py-2 text-sm text-zinc-600"
    >
      <p data-testid="lead-total" className="tabular-nums">
        {formatLeadTotal(page.total)}
      </p>
      <div className="flex items-center gap-3">
        <label className="flex items-center gap-1.5 text-xs">
          Rows per page
          <select
            value={state.pageSize}
            onChange={(e) => nav.filter({ pageSize: Number(e.target.value) as PageSize })}
            className="rounded-md border border-zinc-300 bg-white px-1.5 py-0.5 text-xs"
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <div className="flex items-center gap-1">
          <PageLink href={first} label="First page">
            <ChevronsLeft aria-hidden className="size-4" />
          </PageLink>
          <PageLink href={previous} label="Previous page">
            <ChevronLeft aria-hidden className="size-4" />
          </PageLink>
          <PageLink href={next} label="Next page">
            <ChevronRight aria-hidden className="size-4" />
          </PageLink>
        </div>
      </div>
    </nav>
  );
}

function PageLink({ href, label, children }: { href: string | null; label: string; children: ReactNode }) {
  const className = "inline-flex size-7 items-center justify-center rounded-md border border-zinc-300";
  if (!href)
    return (
      <span aria-disabled="true" role="link" aria-label={label} className={cn(className, "text-zinc-300")}>
        {children}
      </span>
    );
  return (
    <Link href={href} aria-label={label} title={label} scroll={false} className={cn(className, "bg-white text-zinc-700 hover:bg-zinc-50")}>
      {children}
    </Link>
  );
}
