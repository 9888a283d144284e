import { z } from "zod";
import { LEAD_STATUSES } from "@/db/schema/lead-enums";
import { tagProblem, uniqueTags } from "./tag-rule";

/**
 * The inputs of the bulk actions (app/(app)/leads/bulk-actions.ts), shared by the bar that
 * sends them. Pure: runs in the browser too.
 */

/** Selections up to this size are sent as ids; past it the bar offers "all N matching". */
export const MAX_SELECTED_IDS = 1_000;
/** Up to one page of the table (the largest page size) is changed inside the request. */
export const INLINE_LIMIT = 100;

/** A tag as the table filters by it: trimmed, no commas (the URL's list separator); see tag-rule.ts. */
export const ZTag = z
  .string()
  .trim()
  .superRefine((tag, ctx) => {
    const problem = tagProblem(tag);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const ZBulkSelection = z.union([
  z.object({ ids: z.array(z.uuid()).min(1, "Select at least one lead.").max(MAX_SELECTED_IDS) }),
  z.object({
    /** The table's URL query (leadListSearchParams), parsed again on the server. */
    filter: z.string().max(4_000),
    /** The exact count the person confirmed; a different count now asks them again. */
    confirmedCount: z.number().int().min(1),
  }),
]);
export type BulkSelection = z.infer<typeof ZBulkSelection>;

export const ZBulkAssign = z.object({ selection: ZBulkSelection, ownerId: z.uuid().nullable() });
export const ZBulkStatus = z.object({ selection: ZBulkSelection, status: z.enum(LEAD_STATUSES) });
export const ZBulkTags = z.object({
  selection: ZBulkSelection,
  tags: z.array(ZTag).min(1, "Name at least one tag.").max(10, "At most 10 tags at a time.").transform(uniqueTags),
});
export const ZBulkSelectionOnly = z.object({ selection: ZBulkSelection });
export const ZBulkOperationRef = z.object({ operationId: z.uuid() });
export const ZBulkCount = z.object({ filter: z.string().max(4_000) });

/** What an action asks for, as stored in lead_bulk_operations (action + params). */
export type BulkChange =
  | { action: "assign_owner"; ownerId: string | null }
  | { action: "set_status"; status: (typeof LEAD_STATUSES)[number] }
  | { action: "add_tags"; tags: string[] }
  | { action: "remove_tags"; tags: string[] }
  | { action: "delete" }
  | { action: "restore" };

export const SKIP_REASONS = ["not_permitted", "unchanged", "tag_limit", "missing"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type SkipCounts = Partial<Record<SkipReason, number>>;

/** How far a bulk change got: what the action returns and the progress route serves. */
export type BulkProgress = {
  operationId: string;
  action: BulkChange["action"];
  status: "queued" | "running" | "completed" | "failed" | "cancelled";
  /** True when it runs as a background job (more than one page of rows). */
  background: boolean;
  total: number;
  processed: number;
  changed: number;
  skipped: SkipCounts;
  error: string | null;
};
