import { z } from "zod";
import { leadListSearchParams, parseLeadListState } from "@/lib/leads/list-state";
import { leadViewParams } from "./view-params";

export { leadViewParams };

/**
 * A saved view stores the table's URL query as a plain object (`{ status: "new,contacted",
 * sort: "score" }`), so applying one is navigating to `/leads?<params>`. Whatever the client
 * sends is parsed by the table's own contract (lib/leads/list-state.ts) and stored in its
 * canonical form: defaults left out, and never a page cursor (a view is a filter, not a place).
 */
const ZRawParams = z.record(z.string().max(40), z.string().max(2000)).refine((p) => Object.keys(p).length <= 40, "Too many settings.");

export const ZLeadViewParams = ZRawParams.transform((raw, ctx) => {
  const { state, notices } = parseLeadListState(new URLSearchParams(raw));
  if (notices.length > 0) {
    ctx.addIssue({ code: "custom", message: "This view has settings the table cannot use. Reset the filters and save again." });
    return z.NEVER;
  }
  return leadViewParams(leadListSearchParams({ ...state, cursor: undefined, before: false }));
});

const ZViewName = z.string().trim().min(1, "Give the view a name.").max(80, "Keep the name under 80 characters.");
const ZViewId = z.uuid("That view is not valid.");

export const ZCreateLeadView = z.object({ name: ZViewName, shared: z.boolean(), params: ZLeadViewParams });
export const ZUpdateLeadView = z.object({
  viewId: ZViewId,
  name: ZViewName.optional(),
  shared: z.boolean().optional(),
  params: ZLeadViewParams.optional(),
});
export const ZDeleteLeadView = z.object({ viewId: ZViewId });

export type CreateLeadViewInput = z.infer<typeof ZCreateLeadView>;
export type UpdateLeadViewInput = z.infer<typeof ZUpdateLeadView>;
