import "server-only";
import type { z } from "zod";
import type { Executor } from "@/db";
import { addLeadNote } from "@/lib/leads/add-lead-note";
import { describeActivity } from "@/lib/leads/describe-activity";
import { getLeadDetail, isTimelineCursor } from "@/lib/leads/get-lead";
import type { LeadDetail } from "@/lib/leads/lead-detail-types";
import { ApiError } from "../errors";
import type { ApiRouteDefinition } from "../define-route";
import { ZLeadActivityList, ZLeadActivityQuery, ZLeadActivityResponse, ZLeadNoteBody, type ZLeadActivity } from "../lead-activity-schemas";
import { ZLeadIdParams } from "../lead-schemas";

/** A lead's timeline and its notes: the lead page's timeline and its note box, through their services. */

/** One page of the timeline, each entry in the words the lead page shows it in. */
async function timelinePage(tx: Executor, workspaceId: string, leadId: string, before?: string) {
  const detail = await getLeadDetail(tx, { workspaceId, leadId, before });
  return { entries: detail.timeline.entries.map((entry) => inWords(entry, detail.people)), nextCursor: detail.timeline.nextCursor };
}

function inWords(entry: LeadDetail["timeline"]["entries"][number], people: LeadDetail["people"]): z.input<typeof ZLeadActivity> {
  const { actor, summary, body } = describeActivity(entry, people);
  return { ...entry, actor, summary, body: body ?? null };
}

export const listLeadActivitiesRoute = {
  doc: {
    method: "get",
    path: "/leads/{id}/activities",
    operationId: "listLeadActivities",
    tag: "Leads",
    summary: "List a lead's timeline",
    description:
      "The lead page's timeline, newest first, 30 entries a page: imports, field, status and owner changes, notes, emails and replies, each with its words and its details. Follow `nextCursor` for older entries.",
    status: 200,
    response: ZLeadActivityList,
  },
  access: "read",
  permission: "workspace.read",
  params: ZLeadIdParams,
  query: ZLeadActivityQuery,
  handler: async ({ principal, tx }, { params, query }) => {
    if (query.cursor !== undefined && !isTimelineCursor(query.cursor)) {
      throw new ApiError(422, "invalid_input", "That cursor is not one this timeline gave: start again without it.", {
        cursor: ["Use the `nextCursor` of the previous page."],
      });
    }
    const page = await timelinePage(tx, principal.workspaceId, params.id, query.cursor);
    return { body: { data: page.entries, nextCursor: page.nextCursor } };
  },
} satisfies ApiRouteDefinition<typeof ZLeadIdParams, typeof ZLeadActivityQuery, z.ZodUndefined, z.input<typeof ZLeadActivityList>>;

export const addLeadNoteRoute = {
  doc: {
    method: "post",
    path: "/leads/{id}/notes",
    operationId: "addLeadNote",
    tag: "Leads",
    summary: "Add a note to a lead",
    description:
      "As the lead page's note box: the note goes on the lead's timeline as the key's creator's, on any lead of the workspace (a note changes nothing on the lead). A deleted lead takes no note (409).",
    status: 201,
    response: ZLeadActivityResponse,
  },
  access: "write",
  permission: "leads.edit_own",
  params: ZLeadIdParams,
  body: ZLeadNoteBody,
  handler: async ({ principal, tx }, { params, body }) => {
    const { workspaceId, userId } = principal;
    const { activityId } = await addLeadNote(tx, {
      workspaceId,
      actor: { userId, role: principal.role },
      leadId: params.id,
      body: body.body,
    });
    const detail = await getLeadDetail(tx, { workspaceId, leadId: params.id });
    const entry = detail.timeline.entries.find((e) => e.id === activityId);
    if (!entry) throw new Error("The note just added is not on the newest page of its lead's timeline.");
    return { status: 201, body: { data: inWords(entry, detail.people) } };
  },
} satisfies ApiRouteDefinition<typeof ZLeadIdParams, z.ZodUndefined, typeof ZLeadNoteBody, z.input<typeof ZLeadActivityResponse>>;
