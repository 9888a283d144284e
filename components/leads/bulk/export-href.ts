import { leadListSearchParams, type LeadListState } from "@/lib/leads/list-state-shape";

/** The table's query without its page: what "all matching" and the export mean by the view. */
function query(state: LeadListState): string {
  return leadListSearchParams({ ...state, cursor: undefined, before: false }).toString();
}

/** The export route's URL for a view, or for the selected leads in it. */
export function exportHref(state: LeadListState, ids?: string[]): string {
  const params = new URLSearchParams(query(state));
  if (ids?.length) params.set("ids", ids.join(","));
  return `/api/leads/export?${params.toString()}`;
}
exportHref.query = query;
