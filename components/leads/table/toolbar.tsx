"use client";
import { Search, X } from "lucide-react";
import { useEffect, useRef, useState, type RefObject } from "react";
import type { LeadListState } from "@/lib/leads/list-state-shape";
import type { LeadViewOption } from "./views-menu";
import { activeFilters, withoutFilters } from "./active-filters";
import type { LeadListExtras } from "./lead-list-href";
import type { LeadListNavigation } from "./use-lead-list-navigation";
import { ColumnsMenu, FiltersPopover, ViewsMenu } from "./toolbar-menus";

/** A member as the table names owners; `canOwn`: whether leads may be assigned to them (sales reps and up). */
export type OwnerOption = { id: string; name: string; canOwn: boolean };

type Props = {
  state: LeadListState;
  extras: LeadListExtras;
  nav: LeadListNavigation;
  owners: OwnerOption[];
  views: LeadViewOption[];
  currentUserId: string;
  searchRef: RefObject<HTMLInputElement | null>;
};

export function LeadTableToolbar({ state, extras, nav, owners, views, currentUserId, searchRef }: Props) {
  const ownerName = (ref: string) =>
    ref === "me" ? "Me" : ref === "unassigned" ? "Unassigned" : (owners.find((o) => o.id === ref)?.name ?? "A former member");
  const chips = activeFilters(state, ownerName).filter((f) => f.id !== "q");
  return (
    <div className="space-y-2 border-b border-zinc-200 bg-white px-4 py-2">
      <div className="flex flex-wrap items-center gap-2">
        <ViewsMenu state={state} extras={extras} nav={nav} views={views} currentUserId={currentUserId} />
        <SearchBox value={state.q ?? ""} onSearch={(q) => nav.filter({ q: q || undefined })} inputRef={searchRef} />
        <FiltersPopover state={state} nav={nav} owners={owners} />
        <div className="ml-auto">
          <ColumnsMenu state={state} nav={nav} />
        </div>
      </div>
      {chips.length > 0 ? (
        <ul aria-label="Applied filters" className="flex flex-wrap items-center gap-1.5">
          {chips.map((chip) => (
            <li
              key={chip.id}
              className="inline-flex items-center gap-1 rounded-md border border-zinc-200 bg-zinc-50 py-0.5 pr-1 pl-2 text-xs text-zinc-700"
            >
              {chip.label}
              <button
                type="button"
                onClick={() => nav.filter(chip.clear)}
                aria-label={`Remove filter ${chip.label}`}
                className="rounded p-0.5 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900"
              >
                <X aria-hidden className="size-3" />
              </button>
            </li>
          ))}
          {chips.length > 1 ? (
            <li>
              <button
                type="button"
                onClick={() => nav.filter(withoutFilters(state))}
                className="px-1 text-xs text-zinc-600 hover:text-zinc-900 hover:underline"
              >
                Clear all
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}

/** Searches as the rep types (after a pause); follows the URL when back/forward changes it. */
function SearchBox({
  value,
  onSearch,
  inputRef,
}: {
  value: string;
  onSearch: (q: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    setText(value);
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const submit = (q: string) => {
    clearTimeout(timer.current);
    if (q.trim() !== value) onSearch(q.trim());
  };
  return (
    <div className="relative w-72">
      <Search aria-hidden className="pointer-events-none absolute top-1/2 left-2 size-3.5 -translate-y-1/2 text-zinc-400" />
      <input
        ref={inputRef}
        type="search"
        aria-label="Search leads"
        placeholder="Search name, email, company, title…"
        maxLength={200}
        value={text}
        onChange={(e) => {
          const q = e.target.value;
          setText(q);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => submit(q), 350);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") submit(text);
          if (e.key === "Escape") e.currentTarget.blur();
        }}
        className="h-8 w-full rounded-md border border-zinc-300 bg-white pr-8 pl-7 text-sm placeholder:text-zinc-400 focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none"
      />
      <kbd className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-zinc-200 px-1 text-[10px] text-zinc-500">
        /
      </kbd>
    </div>
  );
}
