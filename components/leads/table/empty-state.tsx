"use client";
import { SearchX, Trash2, Users } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { LeadListState } from "@/lib/leads/list-state-shape";
import { activeFilters, withoutFilters } from "./active-filters";
import type { LeadListNavigation } from "./use-lead-list-navigation";

/** Zero rows, with the next step: clear what hides them, or bring leads in. */
export function LeadTableEmptyState({ state, nav, canCreate }: { state: LeadListState; nav: LeadListNavigation; canCreate: boolean }) {
  const filtered = activeFilters(state, String).filter((f) => f.id !== "deleted").length > 0;
  const clear = (
    <Button variant="secondary" onClick={() => nav.filter(withoutFilters(state))}>
      Clear filters
    </Button>
  );
  if (state.cursor && !filtered)
    return (
      <EmptyState
        icon={SearchX}
        title="No more leads on this page"
        action={<Button onClick={() => nav.filter({})}>Back to the first page</Button>}
      >
        The leads this page pointed at have moved or been deleted since the link was made.
      </EmptyState>
    );
  if (state.deleted)
    return (
      <EmptyState
        icon={Trash2}
        title={filtered ? "No deleted leads match these filters" : "No deleted leads"}
        action={filtered ? clear : undefined}
      >
        Leads deleted from the table wait here, ready to restore.
      </EmptyState>
    );
  if (filtered)
    return (
      <EmptyState icon={SearchX} title="No leads match these filters" action={clear}>
        Loosen a filter or search for something shorter; the chips above show what is applied.
      </EmptyState>
    );
  return (
    <EmptyState
      icon={Users}
      title="No leads yet"
      action={
        canCreate ? (
          <div className="flex gap-2">
            <Link
              href="/leads/new"
              className="inline-flex h-9 items-center whitespace-nowrap rounded-md bg-accent-600 px-3.5 text-sm font-medium text-white hover:bg-accent-700"
            >
              Add a lead
            </Link>
            <Link
              href="/imports"
              className="inline-flex h-9 items-center whitespace-nowrap rounded-md border border-zinc-300 bg-white px-3.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50"
            >
              Import leads
            </Link>
          </div>
        ) : undefined
      }
    >
      {canCreate
        ? "Import a CSV, Apollo or Instantly list, or add a lead by hand."
        : "Nobody has imported or added a lead to this workspace yet."}
    </EmptyState>
  );
}
