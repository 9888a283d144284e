"use client";
import type { ReactNode } from "react";
import type { LeadTotal } from "@/lib/leads/lead-list-types";
import type { LeadListState } from "@/lib/leads/list-state-shape";
import { formatLeadTotal } from "./format";

/** What bulk actions act on: chosen rows, or every lead the filter matches (resolved again on the server). */
export type LeadSelection = { ids: string[] } | { allMatching: LeadListState; count: number };

type Props = {
  selection: LeadSelection;
  /** The bulk actions (components/leads/bulk-action-bar.tsx). */
  children?: ReactNode;
  total: LeadTotal;
  onSelectAllMatching?: () => void;
  onClear: () => void;
};

export function SelectionBar({ selection, total, onSelectAllMatching, onClear, children }: Props) {
  const all = "allMatching" in selection;
  return (
    <div
      role="region"
      aria-label="Selection"
      className="mx-4 mt-2 flex flex-wrap items-center gap-3 rounded-md border border-accent-100 bg-accent-50 px-3 py-1.5 text-sm text-accent-700"
    >
      <span className="font-medium">
        {!all
          ? `${selection.ids.length} selected`
          : total.kind === "exact"
            ? `All ${formatLeadTotal(total)} matching this filter selected`
            : `All leads matching this filter selected (${formatLeadTotal(total)})`}
      </span>
      {onSelectAllMatching ? (
        <button type="button" onClick={onSelectAllMatching} className="font-medium underline-offset-2 hover:underline">
          Select all {formatLeadTotal(total)} matching this filter
        </button>
      ) : null}
      <button type="button" onClick={onClear} className="text-accent-700 underline-offset-2 hover:underline">
        Clear selection
      </button>
      {children ? <div className="ml-auto">{children}</div> : null}
    </div>
  );
}
