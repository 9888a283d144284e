import { PAGE_WORKSPACE_PARAM } from "@/lib/auth/page-workspace";
import { leadListSearchParams, type LeadListState } from "@/lib/leads/list-state-shape";

/** The table's query without its page: what "all matching" and the export mean by the view. */
function query(state: LeadListState): string {
  return leadListSearchParams({ ...state, cursor: undefined, before: false }).toString();
}

/**
 * The export route's URL for a view, or for the selected leads in it, naming the page's workspace
 * (lib/auth/page-workspace.ts): after a switch in another tab the route refuses rather than export another workspace's leads.
 */
export function exportHref(state: LeadListState, workspaceId: string | undefined, ids?: string[]): string {
  const params = new URLSearchParams(query(state));
  if (ids?.length) params.set("ids", ids.join(","));
  if (workspaceId) params.set(PAGE_WORKSPACE_PARAM, workspaceId);
  return `/api/leads/export?${params.toString()}`;
}
exportHref.query = query;
