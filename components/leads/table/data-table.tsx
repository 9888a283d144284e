"use client";
import { useTable, type RowSelectionState, type SortingState, type Updater } from "@tanstack/react-table";
import { ArrowDown, ArrowUp } from "lucide-react";
import { useMemo, useRef, useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { LeadListPage } from "@/lib/leads/lead-list-types";
import { LEAD_COLUMNS, type LeadColumn, type LeadListState } from "@/lib/leads/list-state-shape";
import type { LeadViewOption } from "./views-menu";
import { leadColumns } from "./columns";
import { LeadTableEmptyState } from "./empty-state";
import { leadTableFeatures } from "./features";
import { leadListHref, type LeadListExtras } from "./lead-list-href";
import { LeadTablePagination } from "./pagination";
import { LeadTableRow } from "./row";
import type { BulkActionBarProps } from "../bulk-action-bar";
import { SelectionBar, type LeadSelection } from "./selection-bar";
import { selectColumn } from "./select-column";
import { LeadSidePanel } from "./side-panel";
import { deferred } from "@/components/ui/deferred";
import { LeadTableToolbar, type OwnerOption } from "./toolbar";
import { useLeadListNavigation } from "./use-lead-list-navigation";
import { useTableKeyboard } from "./use-table-keyboard";

/** The bulk actions show only once leads are selected: their code (menus, dialogs) loads after the first paint. */
const BulkActionBar = deferred<BulkActionBarProps>(
  () => import("../bulk-action-bar").then((m) => m.BulkActionBar),
  // zinc-600: zinc-500 on the selection bar's indigo-50 is 4.3:1, under WCAG's 4.5:1 for small text.
  () => <span className="text-xs text-zinc-600">Loading actions…</span>,
);

type Props = {
  page: LeadListPage;
  state: LeadListState;
  extras: LeadListExtras;
  notices: string[];
  owners: OwnerOption[];
  views: LeadViewOption[];
  currentUserId: string;
  canSelect: boolean;
  /** What the bulk action bar offers (from the role). */
  bulkPermissions: BulkActionBarProps["permissions"];
  campaignTargets?: BulkActionBarProps["campaignTargets"];
  canCreate: boolean;
  /** The lead open in the side panel, rendered on the server. */
  panel: ReactNode;
};

type Selection = { key: string; rows: RowSelectionState; allMatching: boolean };

/** The interactive lead table: everything it shows comes from the server page; every change is a URL. */
export function LeadsTable({
  page,
  state,
  extras,
  notices,
  owners,
  views,
  currentUserId,
  canSelect,
  bulkPermissions,
  campaignTargets,
  canCreate,
  panel,
}: Props) {
  const nav = useLeadListNavigation(state, extras);
  const searchRef = useRef<HTMLInputElement>(null);
  // The selection belongs to one page of one filter: another page or filter starts empty.
  const selectionKey = leadListHref(state, { view: extras.view });
  const [selection, setSelection] = useState<Selection>({ key: selectionKey, rows: {}, allMatching: false });
  const current = selection.key === selectionKey ? selection : { key: selectionKey, rows: {}, allMatching: false };

  const columns = useMemo(
    () => [...(canSelect ? [selectColumn] : []), ...leadColumns({ leadHref: nav.leadHref })],
    // Links carry the whole state: rebuild them when the URL changes, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [canSelect, selectionKey],
  );
  const columnVisibility = useMemo(
    () => Object.fromEntries(LEAD_COLUMNS.map((c) => [c, state.columns.includes(c)])) as Record<LeadColumn, boolean>,
    [state.columns],
  );
  const columnOrder = useMemo(() => ["select", ...state.columns], [state.columns]);
  const sorting = useMemo<SortingState>(() => [{ id: state.sort, desc: state.dir === "desc" }], [state.sort, state.dir]);

  const table = useTable({
    features: leadTableFeatures,
    columns,
    data: page.rows,
    getRowId: (row) => row.id,
    state: { sorting, columnVisibility, columnOrder, rowSelection: current.rows },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: canSelect,
    onSortingChange: (updater: Updater<SortingState>) => {
      const [next] = typeof updater === "function" ? updater(sorting) : updater;
      if (next) nav.filter({ sort: next.id as LeadColumn, dir: next.desc ? "desc" : "asc" });
    },
    onRowSelectionChange: (updater: Updater<RowSelectionState>) =>
      setSelection({ key: selectionKey, rows: typeof updater === "function" ? updater(current.rows) : updater, allMatching: false }),
  });

  const rows = table.getRowModel().rows;
  const openIndex = extras.lead ? rows.findIndex((r) => r.id === extras.lead) : -1;
  const [active, setActive] = useState({ key: selectionKey, index: openIndex });
  const activeIndex = active.key === selectionKey ? active.index : openIndex;
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  useTableKeyboard({
    rowCount: rows.length,
    activeIndex,
    setActiveIndex: (index) => {
      setActive({ key: selectionKey, index });
      bodyRef.current?.querySelectorAll("tr")[index]?.scrollIntoView({ block: "nearest" });
    },
    open: (index) => rows[index] && nav.openLead(rows[index].id),
    toggleSelect: (index) => canSelect && rows[index]?.toggleSelected(),
    focusSearch: () => searchRef.current?.focus(),
    close: extras.lead ? nav.closeLead : undefined,
  });

  const selectedIds = Object.keys(current.rows).filter((id) => current.rows[id]);
  const leadSelection: LeadSelection | null = current.allMatching
    ? { allMatching: state, count: page.total.value }
    : selectedIds.length > 0
      ? { ids: selectedIds }
      : null;

  return (
    <div className="flex min-h-0 flex-1">
      <div className="flex min-w-0 flex-1 flex-col">
        <LeadTableToolbar
          state={state}
          extras={extras}
          nav={nav}
          owners={owners}
          views={views}
          currentUserId={currentUserId}
          searchRef={searchRef}
        />
        {notices.length > 0 ? (
          <div role="status" className="mx-4 mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {notices.map((n) => (
              <p key={n}>{n}</p>
            ))}
          </div>
        ) : null}
        {leadSelection ? (
          <SelectionBar
            selection={leadSelection}
            total={page.total}
            onSelectAllMatching={
              table.getIsAllPageRowsSelected() && page.total.value > rows.length && !current.allMatching
                ? () => setSelection({ ...current, allMatching: true })
                : undefined
            }
            onClear={() => setSelection({ key: selectionKey, rows: {}, allMatching: false })}
          >
            <BulkActionBar
              selection={leadSelection}
              view={state}
              owners={owners}
              currentUserId={currentUserId}
              permissions={bulkPermissions}
              campaignTargets={campaignTargets}
              onDone={() => setSelection({ key: selectionKey, rows: {}, allMatching: false })}
            />
          </SelectionBar>
        ) : null}
        {rows.length === 0 ? (
          <div className="flex-1 overflow-auto p-6">
            <LeadTableEmptyState state={state} nav={nav} canCreate={canCreate} />
          </div>
        ) : (
          <div
            className={cn("min-h-0 flex-1 overflow-auto transition-opacity", nav.pending && "opacity-60")}
            aria-busy={nav.pending || undefined}
          >
            <table className="w-full border-separate border-spacing-0 text-sm" aria-label="Leads">
              <thead className="sticky top-0 z-10 bg-white text-left text-xs text-zinc-500">
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => {
                      const sorted = header.column.getIsSorted();
                      const sortable = header.column.getCanSort();
                      return (
                        <th
                          key={header.id}
                          scope="col"
                          aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                          className={cn(
                            "border-b border-zinc-200 px-2.5 py-2 font-medium whitespace-nowrap",
                            header.id === "select" && "w-8 pr-0",
                          )}
                        >
                          {sortable ? (
                            <button
                              type="button"
                              onClick={header.column.getToggleSortingHandler()}
                              className={cn("inline-flex items-center gap-1 hover:text-zinc-900", sorted && "text-zinc-900")}
                            >
                              <table.FlexRender header={header} />
                              {sorted === "asc" ? <ArrowUp aria-hidden className="size-3" /> : null}
                              {sorted === "desc" ? <ArrowDown aria-hidden className="size-3" /> : null}
                            </button>
                          ) : (
                            <table.FlexRender header={header} />
                          )}
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody ref={bodyRef}>
                {rows.map((row, index) => (
                  <LeadTableRow
                    key={row.id}
                    row={row}
                    active={index === activeIndex}
                    open={row.id === extras.lead}
                    selected={current.allMatching || row.getIsSelected()}
                    onActivate={() => {
                      setActive({ key: selectionKey, index });
                      nav.openLead(row.id);
                    }}
                    renderCell={(cell) => <table.FlexRender cell={cell} />}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LeadTablePagination page={page} state={state} nav={nav} />
      </div>
      {panel ? <LeadSidePanel onClose={nav.closeLead}>{panel}</LeadSidePanel> : null}
    </div>
  );
}
