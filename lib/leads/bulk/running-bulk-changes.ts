import "server-only";
import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { leadBulkOperations, profiles } from "@/db/schema";
import { LEAD_STATUS_LABELS } from "@/lib/leads/lead-fields";
import { INLINE_LIMIT } from "./schemas";

/**
 * A background bulk change still under way, as the leads page shows it after a reload: its words,
 * and how far it had got when the page was read (the bar shows that until its first poll).
 */
export type RunningBulkChange = { operationId: string; summary: string; processed: number; total: number };

/** Changes older than this are not followed again: a job that has not finished in a day is the Jobs page's business. */
const FOLLOW_FOR = "1 day";

/**
 * The person's own background bulk changes (more than a page of leads, run as a job) that have
 * not finished, newest first: what their selection bar was following before the page was left
 * or reloaded. Another member's changes are theirs to follow (and RLS shows each person only
 * their own operations).
 */
export async function myRunningBulkChanges(
  tx: Database,
  { workspaceId, userId }: { workspaceId: string; userId: string },
): Promise<RunningBulkChange[]> {
  const rows = await tx
    .select({
      id: leadBulkOperations.id,
      action: leadBulkOperations.action,
      params: leadBulkOperations.params,
      total: leadBulkOperations.total,
      processed: leadBulkOperations.processed,
      ownerName: sql<string | null>`(select coalesce(nullif(${profiles.fullName}, ''), ${profiles.email}) from ${profiles}
        where ${profiles.id} = (${leadBulkOperations.params} ->> 'ownerId')::uuid)`,
    })
    .from(leadBulkOperations)
    .where(
      and(
        eq(leadBulkOperations.workspaceId, workspaceId),
        eq(leadBulkOperations.requestedBy, userId),
        inArray(leadBulkOperations.status, ["queued", "running"]),
        gt(leadBulkOperations.total, INLINE_LIMIT),
        gt(leadBulkOperations.createdAt, sql`now() - ${FOLLOW_FOR}::interval`),
      ),
    )
    .orderBy(desc(leadBulkOperations.createdAt))
    .limit(5);
  return rows.map((row) => ({ operationId: row.id, summary: summaryOf(row), processed: row.processed, total: row.total }));
}

function summaryOf({
  action,
  params,
  total,
  ownerName,
}: {
  action: string;
  params: Record<string, unknown>;
  total: number;
  ownerName: string | null;
}) {
  const leads = `${total.toLocaleString("en")} leads`;
  const tags = Array.isArray(params.tags) ? params.tags.filter((t) => typeof t === "string").join(", ") : "";
  switch (action) {
    case "assign_owner":
      return params.ownerId ? `Assigning ${leads} to ${ownerName ?? "a former member"}` : `Unassigning ${leads}`;
    case "set_status": {
      const status = LEAD_STATUS_LABELS[params.status as keyof typeof LEAD_STATUS_LABELS] ?? String(params.status);
      return `Setting ${leads} to ${status}`;
    }
    case "add_tags":
      return `Adding ${tags} to ${leads}`;
    case "remove_tags":
      return `Removing ${tags} from ${leads}`;
    case "delete":
      return `Deleting ${leads}`;
    default:
      return `Restoring ${leads}`;
  }
}
