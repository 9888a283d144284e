import { leadListSearchParams, type LeadListState } from "@/lib/leads/list-state-shape";

/** What the URL holds beside the table state: the saved view it came from and the lead open in the side panel. */
export type LeadListExtras = { view?: string; lead?: string };

/** The /leads URL of a state; every link and move of the table goes through here. */
export function leadListHref(state: LeadListState, extras: LeadListExtras = {}): string {
  const params = leadListSearchParams(state);
  if (extras.view) params.set("view", extras.view);
  if (extras.lead) params.set("lead", extras.lead);
  const query = params.toString();
  return query ? `/leads?${query}` : "/leads";
}
