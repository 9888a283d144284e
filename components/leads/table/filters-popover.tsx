"use client";
import { Popover } from "radix-ui";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EMAIL_STATUSES, LEAD_SOURCES, LEAD_STATUSES } from "@/db/schema/lead-enums";
import type { LeadListState } from "@/lib/leads/list-state-shape";
import { LEAD_STATUS_LABELS } from "@/lib/leads/lead-fields";
import { EMAIL_STATUS_LABELS, SOURCE_LABELS } from "./labels";
import type { OwnerOption } from "./toolbar";
import { FiltersTrigger } from "./toolbar-menus";
import type { LeadListNavigation } from "./use-lead-list-navigation";
import { joinListValues, splitListValues } from "@/lib/leads/list-values";

type Draft = Omit<LeadListState, "sort" | "dir" | "pageSize" | "cursor" | "before" | "columns" | "q">;

const INPUT = "h-7 w-full rounded-md border border-zinc-300 bg-white px-2 text-xs focus:border-accent-500 focus:outline-none";

// A value with a comma in it ("Leisure, Travel & Tourism") is typed, and shown, in double quotes.
const splitList = (s: string) => {
  const items = splitListValues(s);
  return items.length ? items : undefined;
};
const num = (s: string) => (s.trim() === "" ? undefined : Number(s));

/** Every filter of the table in one form; applying it is one navigation (one history entry). */
export function FiltersPopover({
  state,
  nav,
  owners,
  defaultOpen = false,
}: {
  state: LeadListState;
  nav: LeadListNavigation;
  owners: OwnerOption[];
  defaultOpen?: boolean;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const [draft, setDraft] = useState<Draft>(state);
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const ownerOptions: [string, string][] = [
    ["me", "Me"],
    ["unassigned", "Unassigned"],
    ...owners.map((o): [string, string] => [o.id, o.name]),
  ];

  function apply() {
    const usesDays = !!(draft.createdFrom || draft.createdTo || draft.activityFrom || draft.activityTo);
    // Day ranges are the viewer's days: the server needs their zone to know where a day starts.
    nav.filter({ ...draft, tz: usesDays ? Intl.DateTimeFormat().resolvedOptions().timeZone : undefined });
    setOpen(false);
  }

  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        if (next) setDraft(state);
        setOpen(next);
      }}
    >
      <Popover.Trigger asChild>
        <FiltersTrigger state={state} />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={4}
          aria-label="Filters"
          className="z-50 max-h-[80vh] w-[40rem] overflow-auto rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-lg"
        >
          <form
            onSubmit={(e) => {
              e.preventDefault();
              apply();
            }}
            className="grid grid-cols-2 gap-x-6 gap-y-4"
          >
            <Checks
              legend="Status"
              options={LEAD_STATUSES.map((s) => [s, LEAD_STATUS_LABELS[s]])}
              value={draft.status}
              onChange={(status) => set({ status })}
            />
            <Checks legend="Owner" options={ownerOptions} value={draft.owner} onChange={(owner) => set({ owner })} />
            <Checks
              legend="Source"
              options={LEAD_SOURCES.map((s) => [s, SOURCE_LABELS[s]])}
              value={draft.source}
              onChange={(source) => set({ source })}
            />
            <div className="space-y-4">
              <Checks
                legend="Email status"
                options={EMAIL_STATUSES.map((s) => [s, EMAIL_STATUS_LABELS[s]])}
                value={draft.emailStatus}
                onChange={(emailStatus) => set({ emailStatus })}
              />
              <Group legend="Email address">
                <select
                  aria-label="Has email"
                  className={INPUT}
                  value={draft.hasEmail === undefined ? "" : draft.hasEmail ? "yes" : "no"}
                  onChange={(e) => set({ hasEmail: e.target.value === "" ? undefined : e.target.value === "yes" })}
                >
                  <option value="">Any</option>
                  <option value="yes">Has an email</option>
                  <option value="no">No email</option>
                </select>
              </Group>
            </div>
            <Group legend="Tags">
              <input
                aria-label="Tags"
                placeholder="vip, q4 (comma-separated)"
                className={INPUT}
                defaultValue={draft.tags?.join(", ")}
                onChange={(e) => set({ tags: splitList(e.target.value) })}
              />
              <select
                aria-label="Tag match"
                className={INPUT}
                value={draft.tagMode}
                onChange={(e) => set({ tagMode: e.target.value as "any" | "all" })}
              >
                <option value="any">Any of these tags</option>
                <option value="all">All of these tags</option>
              </select>
            </Group>
            <Range
              legend="Score"
              min={0}
              max={100}
              lo={draft.scoreMin}
              hi={draft.scoreMax}
              onChange={(scoreMin, scoreMax) => set({ scoreMin, scoreMax })}
            />
            <Range
              legend="ICP fit (AI, 0–100)"
              min={0}
              max={100}
              lo={draft.fitMin}
              hi={draft.fitMax}
              onChange={(fitMin, fitMax) => set({ fitMin, fitMax })}
            />
            <Group legend="AI icebreaker">
              <select
                aria-label="Has icebreaker"
                className={INPUT}
                value={draft.hasIcebreaker === undefined ? "" : draft.hasIcebreaker ? "yes" : "no"}
                onChange={(e) => set({ hasIcebreaker: e.target.value === "" ? undefined : e.target.value === "yes" })}
              >
                <option value="">Any</option>
                <option value="yes">Has an icebreaker</option>
                <option value="no">No icebreaker yet</option>
              </select>
            </Group>
            <Range
              legend="Company size (employees)"
              min={0}
              lo={draft.sizeMin}
              hi={draft.sizeMax}
              onChange={(sizeMin, sizeMax) => set({ sizeMin, sizeMax })}
            />
            <Group legend="Company">
              <input
                aria-label="Industry"
                placeholder="Industry, e.g. Software, Retail"
                className={INPUT}
                defaultValue={draft.industry && joinListValues(draft.industry, ", ")}
                onChange={(e) => set({ industry: splitList(e.target.value) })}
              />
              <input
                aria-label="Country"
                placeholder="Country, e.g. France, Brazil"
                className={INPUT}
                defaultValue={draft.country && joinListValues(draft.country, ", ")}
                onChange={(e) => set({ country: splitList(e.target.value) })}
              />
            </Group>
            <Days
              legend="Created"
              from={draft.createdFrom}
              to={draft.createdTo}
              onChange={(createdFrom, createdTo) => set({ createdFrom, createdTo })}
            />
            <Days
              legend="Last activity"
              from={draft.activityFrom}
              to={draft.activityTo}
              onChange={(activityFrom, activityTo) => set({ activityFrom, activityTo })}
            />
            <label className="col-span-2 flex items-center gap-2 text-xs text-zinc-700">
              <input
                type="checkbox"
                checked={draft.deleted}
                onChange={(e) => set({ deleted: e.target.checked })}
                className="accent-accent-600"
              />
              Show deleted leads (to restore them) instead of live ones
            </label>
            <div className="col-span-2 flex justify-end gap-2 border-t border-zinc-100 pt-3">
              <Button variant="ghost" size="sm" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" size="sm">
                Apply filters
              </Button>
            </div>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function Group({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-1.5">
      <legend className="mb-1.5 text-xs font-medium text-zinc-500">{legend}</legend>
      {children}
    </fieldset>
  );
}

function Checks<T extends string>({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: readonly (readonly [T, string])[];
  value: T[] | undefined;
  onChange: (value: T[] | undefined) => void;
}) {
  const chosen = new Set(value ?? []);
  return (
    <Group legend={legend}>
      <div className="grid max-h-40 grid-cols-2 gap-x-3 gap-y-1 overflow-auto">
        {options.map(([key, label]) => (
          <label key={key} className="flex items-center gap-1.5 truncate text-xs text-zinc-700">
            <input
              type="checkbox"
              className="accent-accent-600"
              checked={chosen.has(key)}
              onChange={(e) => {
                const next = options.map(([k]) => k).filter((k) => (k === key ? e.target.checked : chosen.has(k)));
                onChange(next.length ? next : undefined);
              }}
            />
            {label}
          </label>
        ))}
      </div>
    </Group>
  );
}

function Range({
  legend,
  min,
  max,
  lo,
  hi,
  onChange,
}: {
  legend: string;
  min: number;
  max?: number;
  lo: number | undefined;
  hi: number | undefined;
  onChange: (lo: number | undefined, hi: number | undefined) => void;
}) {
  return (
    <Group legend={legend}>
      <div className="flex items-center gap-2">
        <input
          type="number"
          aria-label={`${legend} from`}
          placeholder="Min"
          min={min}
          max={max}
          className={INPUT}
          value={lo ?? ""}
          onChange={(e) => onChange(num(e.target.value), hi)}
        />
        <span className="text-zinc-400">–</span>
        <input
          type="number"
          aria-label={`${legend} to`}
          placeholder="Max"
          min={min}
          max={max}
          className={INPUT}
          value={hi ?? ""}
          onChange={(e) => onChange(lo, num(e.target.value))}
        />
      </div>
    </Group>
  );
}

function Days({
  legend,
  from,
  to,
  onChange,
}: {
  legend: string;
  from: string | undefined;
  to: string | undefined;
  onChange: (from: string | undefined, to: string | undefined) => void;
}) {
  return (
    <Group legend={legend}>
      <div className="flex items-center gap-2">
        <input
          type="date"
          aria-label={`${legend} from`}
          className={INPUT}
          value={from ?? ""}
          onChange={(e) => onChange(e.target.value || undefined, to)}
        />
        <span className="text-zinc-400">–</span>
        <input
          type="date"
          aria-label={`${legend} to`}
          className={INPUT}
          value={to ?? ""}
          onChange={(e) => onChange(from, e.target.value || undefined)}
        />
      </div>
    </Group>
  );
}
