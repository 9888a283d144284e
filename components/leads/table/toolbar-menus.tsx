"use client";
import { ChevronDown, Columns3, Layers, ListFilter } from "lucide-react";
import type { ComponentProps } from "react";
import { Button } from "@/components/ui/button";
import { deferred } from "@/components/ui/deferred";
import { leadListSearchParams, type LeadListState } from "@/lib/leads/list-state-shape";
import { leadViewParams } from "@/lib/saved-views/view-params";
import { activeFilters } from "./active-filters";
import type { LeadListExtras } from "./lead-list-href";
import type { OwnerOption } from "./toolbar";
import type { LeadListNavigation } from "./use-lead-list-navigation";
import type { LeadViewOption } from "./views-menu";

/**
 * The toolbar's menus, whose Radix code loads after the first paint (components/ui/deferred.tsx):
 * until then each is drawn as its trigger button, which opens it once its code is here.
 */

type ViewsProps = { state: LeadListState; extras: LeadListExtras; nav: LeadListNavigation; views: LeadViewOption[]; currentUserId: string };
type FiltersProps = { state: LeadListState; nav: LeadListNavigation; owners: OwnerOption[] };
type ColumnsProps = { state: LeadListState; nav: LeadListNavigation };
const placeholder = { "aria-haspopup": "dialog", "aria-expanded": false } as const;

export const ViewsMenu = deferred<ViewsProps>(
  () => import("./views-menu").then((m) => m.ViewsMenu),
  ({ onOpen, ...props }) => {
    const { current, changed } = viewsTriggerProps(props);
    return <ViewsTrigger current={current} changed={changed} aria-haspopup="menu" aria-expanded={false} onClick={onOpen} />;
  },
);

export const FiltersPopover = deferred<FiltersProps>(
  () => import("./filters-popover").then((m) => m.FiltersPopover),
  ({ state, onOpen }) => <FiltersTrigger state={state} {...placeholder} onClick={onOpen} />,
);

export const ColumnsMenu = deferred<ColumnsProps>(
  () => import("./columns-menu").then((m) => m.ColumnsMenu),
  ({ onOpen }) => <ColumnsTrigger {...placeholder} onClick={onOpen} />,
);

const sameParams = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** The applied view, the table's state as view parameters, and whether they differ from the view's. */
export function viewsTriggerProps({ state, extras, views }: Pick<ViewsProps, "state" | "extras" | "views">) {
  const params = leadViewParams(leadListSearchParams(state));
  const current = views.find((v) => v.id === extras.view);
  return { current, params, changed: current ? !sameParams(current.params, params) : false };
}

export function ViewsTrigger({
  current,
  changed = false,
  ...props
}: { current: LeadViewOption | undefined; changed?: boolean } & ComponentProps<"button">) {
  return (
    <Button variant="secondary" size="sm" className="h-8 max-w-56" {...props}>
      <Layers aria-hidden className="size-3.5" />
      <span className="truncate">{current ? current.name : "All leads"}</span>
      {changed ? <span className="text-xs font-normal text-zinc-500">(edited)</span> : null}
      <ChevronDown aria-hidden className="size-3.5" />
    </Button>
  );
}

export function FiltersTrigger({ state, ...props }: { state: LeadListState } & ComponentProps<"button">) {
  const count = activeFilters(state, String).filter((f) => f.id !== "q").length;
  return (
    <Button variant="secondary" size="sm" className="h-8" {...props}>
      <ListFilter aria-hidden className="size-3.5" />
      Filters{count ? ` (${count})` : ""}
    </Button>
  );
}

export function ColumnsTrigger(props: ComponentProps<"button">) {
  return (
    <Button variant="secondary" size="sm" className="h-8" {...props}>
      <Columns3 aria-hidden className="size-3.5" />
      Columns
    </Button>
  );
}
