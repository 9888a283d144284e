import type { LeadStatus } from "@/db/schema/leads";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { canEditLead, canSetOwner } from "@/lib/leads/lead-permissions";
import type { BulkChange, SkipCounts, SkipReason } from "./schemas";
import { hasTag } from "./tag-rule";

/** What a batch needs to know of each lead to decide. */
export type BulkCandidate = { id: string; ownerId: string | null; status: LeadStatus; tags: string[]; deleted: boolean };

export type BatchPlan = { change: BulkCandidate[]; skipped: SkipCounts };

/** Mirrors the leads_tags_bounded check: a lead carries at most 50 tags. */
const MAX_TAGS = 50;

/**
 * Sorts a batch into the leads to change and the ones to skip, with the reason: the person
 * may not edit it (lead-permissions.ts, the same rule as RLS), it already is as asked, or
 * adding the tags would pass the limit. Pure, so the rules are tested without a database.
 */
export function planBatch(change: BulkChange, actor: { role: WorkspaceRole; userId: string }, rows: BulkCandidate[]): BatchPlan {
  const plan: BatchPlan = { change: [], skipped: {} };
  const skip = (reason: SkipReason) => (plan.skipped[reason] = (plan.skipped[reason] ?? 0) + 1);
  for (const row of rows) {
    const reason = skipReason(change, actor, row);
    if (reason) skip(reason);
    else plan.change.push(row);
  }
  return plan;
}

function skipReason(change: BulkChange, { role, userId }: { role: WorkspaceRole; userId: string }, row: BulkCandidate): SkipReason | null {
  if (change.action === "assign_owner") {
    if (!canSetOwner(role, userId, row.ownerId, change.ownerId)) return "not_permitted";
    return row.ownerId === change.ownerId ? "unchanged" : null;
  }
  if (!canEditLead(role, userId, row.ownerId)) return "not_permitted";
  switch (change.action) {
    case "set_status":
      return row.status === change.status ? "unchanged" : null;
    case "add_tags": {
      const added = change.tags.filter((t) => !hasTag(row.tags, t));
      if (added.length === 0) return "unchanged";
      return row.tags.length + added.length > MAX_TAGS ? "tag_limit" : null;
    }
    case "remove_tags":
      return change.tags.some((t) => hasTag(row.tags, t)) ? null : "unchanged";
    case "delete":
      return row.deleted ? "unchanged" : null;
    case "restore":
      return row.deleted ? null : "unchanged";
  }
}

/** Adds counts of skipped rows together. */
export function addSkips(a: SkipCounts, b: SkipCounts): SkipCounts {
  const sum: SkipCounts = { ...a };
  for (const [reason, n] of Object.entries(b) as [SkipReason, number][]) sum[reason] = (sum[reason] ?? 0) + n;
  return sum;
}

const REASON_TEXT: Record<SkipReason, (n: number) => string> = {
  not_permitted: (n) => `${n} ${n === 1 ? "belongs" : "belong"} to someone else (your role cannot change ${n === 1 ? "it" : "them"})`,
  unchanged: (n) => `${n} already ${n === 1 ? "was" : "were"} as asked`,
  tag_limit: (n) => `${n} would pass 50 tags`,
  missing: (n) => `${n} no longer ${n === 1 ? "exists" : "exist"} here or ${n === 1 ? "was" : "were"} deleted`,
};

/** "Skipped 3: 2 belong to someone else (…), 1 already was as asked." — or "" when none were. */
export function describeSkips(skipped: SkipCounts): string {
  const parts = (Object.entries(skipped) as [SkipReason, number][]).filter(([, n]) => n > 0);
  if (parts.length === 0) return "";
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  return `Skipped ${total.toLocaleString("en")}: ${parts.map(([reason, n]) => REASON_TEXT[reason](n)).join(", ")}.`;
}
