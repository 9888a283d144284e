"use client";
import { ArrowDown, ArrowUp } from "lucide-react";
import { Popover } from "radix-ui";
import { DEFAULT_LEAD_COLUMNS, LEAD_COLUMN_LABELS, LEAD_COLUMNS, type LeadColumn, type LeadListState } from "@/lib/leads/list-state-shape";
import { ColumnsTrigger } from "./toolbar-menus";
import type { LeadListNavigation } from "./use-lead-list-navigation";

/** Which columns show and in what order: part of the URL, so a saved view keeps them. */
export function ColumnsMenu({ state, nav, defaultOpen }: { state: LeadListState; nav: LeadListNavigation; defaultOpen?: boolean }) {
  const shown = state.columns;
  const hidden = LEAD_COLUMNS.filter((c) => !shown.includes(c));
  const setColumns = (columns: LeadColumn[]) => nav.go({ ...state, columns });
  const move = (index: number, delta: number) => {
    const next = [...shown];
    const [column] = next.splice(index, 1);
    next.splice(index + delta, 0, column!);
    setColumns(next);
  };
  return (
    <Popover.Root defaultOpen={defaultOpen}>
      <Popover.Trigger asChild>
        <ColumnsTrigger />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={4}
          aria-label="Columns"
          className="z-50 w-64 rounded-lg border border-zinc-200 bg-white p-2 text-sm shadow-lg"
        >
          <ul className="space-y-0.5">
            {[...shown, ...hidden].map((column) => {
              const index = shown.indexOf(column);
              const visible = index >= 0;
              const label = LEAD_COLUMN_LABELS[column];
              return (
                <li key={column} className="flex items-center gap-2 rounded px-1.5 py-1 hover:bg-zinc-50">
                  <label className="flex flex-1 items-center gap-2 text-xs text-zinc-700">
                    <input
                      type="checkbox"
                      className="accent-accent-600"
                      checked={visible}
                      disabled={visible && shown.length === 1}
                      onChange={() => setColumns(visible ? shown.filter((c) => c !== column) : [...shown, column])}
                    />
                    {label}
                  </label>
                  {visible ? (
                    <>
                      <button
                        type="button"
                        aria-label={`Move ${label} left`}
                        disabled={index === 0}
                        onClick={() => move(index, -1)}
                        className="rounded p-0.5 text-zinc-500 hover:bg-zinc-200 disabled:opacity-30"
                      >
                        <ArrowUp aria-hidden className="size-3" />
                      </button>
                      <button
                        type="button"
                        aria-label={`Move ${label} right`}
                        disabled={index === shown.length - 1}
                        onClick={() => move(index, 1)}
                        className="rounded p-0.5 text-zinc-500 hover:bg-zinc-200 disabled:opacity-30"
                      >
                        <ArrowDown aria-hidden className="size-3" />
                      </button>
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            onClick={() => setColumns([...DEFAULT_LEAD_COLUMNS])}
            className="mt-1 w-full rounded border-t border-zinc-100 px-1.5 pt-2 text-left text-xs text-zinc-600 hover:text-zinc-900"
          >
            Reset columns
          </button>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
