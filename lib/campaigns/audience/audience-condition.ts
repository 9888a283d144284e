import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { leads } from "@/db/schema";
import { idIn } from "@/lib/leads/bulk/selection-sql";
import { matchingLeadsCondition } from "@/lib/leads/list-leads";
import { parseLeadListState } from "@/lib/leads/list-state";
import type { StoredAudience } from "@/lib/campaigns/types";

/**
 * The WHERE of a campaign audience's leads: the lead table's own condition for a saved view's
 * query or a filter (what the rep saw counted in the table is what the campaign is for), the
 * picked ids otherwise; always live leads of the workspace. Names `leads` unaliased, like
 * matchingLeadsCondition. `userId` is who "me" means in an owner filter.
 */
export function audienceLeadsCondition(audience: StoredAudience, { workspaceId, userId }: { workspaceId: string; userId: string }): SQL {
  if (audience.kind === "ids") {
    return sql`${leads.workspaceId} = ${workspaceId} and ${leads.deletedAt} is null and ${idIn(leads.id, audience.ids)}`;
  }
  // Re-parsed wherever it is resolved: the stored query is the URL's. A campaign never goes to
  // deleted leads, whatever the query says.
  const { state } = parseLeadListState(new URLSearchParams(audience.query));
  return matchingLeadsCondition({ workspaceId, userId, state: { ...state, deleted: false } });
}
