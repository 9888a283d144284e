"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { withFilters, type LeadListState } from "@/lib/leads/list-state-shape";
import { leadListHref, type LeadListExtras } from "./lead-list-href";

/**
 * Every change of the table is a navigation: the server renders the new page, history keeps
 * each step (back/forward work), and the link can be shared. `pending` dims the table meanwhile.
 */
export function useLeadListNavigation(state: LeadListState, extras: LeadListExtras) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function go(next: LeadListState, nextExtras: LeadListExtras = extras, mode: "push" | "replace" = "push") {
    const href = leadListHref(next, nextExtras);
    startTransition(() => (mode === "push" ? router.push(href, { scroll: false }) : router.replace(href, { scroll: false })));
  }

  return {
    pending,
    go,
    /** Filters, search and sort start again at the first page; the open lead stays open. */
    filter: (change: Partial<LeadListState>, mode: "push" | "replace" = "push") => go(withFilters(state, change), extras, mode),
    /** A link to another page of the same view (the side panel closes). */
    pageHref: (next: LeadListState) => leadListHref(next, { view: extras.view }),
    leadHref: (id: string) => leadListHref(state, { ...extras, lead: id }),
    openLead: (id: string) => go(state, { ...extras, lead: id }),
    closeLead: () => go(state, { ...extras, lead: undefined }),
  };
}

export type LeadListNavigation = ReturnType<typeof useLeadListNavigation>;
